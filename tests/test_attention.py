"""The attention weights of an attention run, as Translate draws them."""

import numpy as np
import pytest

from core.analysis.attention import attention_map
from core.cli import main
from core.config.search import SearchConfig
from core.errors import UserError
from core.run.loaded import load_run
from core.tokenizer import BOS
from core.translate import translate_best


@pytest.fixture(scope="module")
def attention_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("attn") / "run"
    assert main(["train", "--data", "grammar:600", "--out", str(out), "--preset", "tiny", "--steps", "20",
                 "--attention", "--no-probes", "--no-progress"]) == 0  # fmt: skip
    return load_run(out)


@pytest.mark.slow
@pytest.mark.parametrize("beam", [1, 3])
def test_rows_are_distributions_over_the_source_of_the_runs_own_translation(attention_run, beam):
    sentence = "John admires Mary"
    m = attention_map(attention_run, sentence, SearchConfig(beam=beam))
    assert m.source == sentence.split()
    assert m.weights.shape == (len(m.target), len(m.source)) and m.target[-1] == "</s>"
    assert np.allclose(m.weights.sum(1), 1.0, atol=1e-5) and (m.weights >= 0).all()
    assert m.translation == translate_best(attention_run, [sentence], SearchConfig(beam=beam))[0]


@pytest.mark.slow
def test_columns_follow_the_source_in_its_natural_order(attention_run):
    """A reverse-source model reads the source backwards; its columns are put back in order."""
    import torch

    run, sentence = attention_run, "Paul helps Anna"
    m = attention_map(run, sentence, SearchConfig(beam=1))
    (ids,) = run.source_ids([sentence])
    src, src_len = run.tensors([ids])
    with torch.inference_mode():
        enc = run.model.encode(src, src_len)
        tgt = torch.tensor([[BOS, *run.tgt_tok.encode(m.translation)]])
        y, _ = run.model.decoder(run.model.tgt_embed(tgt), enc.state)
        raw = run.model.attention.weights(y, enc.memory, enc.src_mask)[0].numpy()  # reading order
    assert run.model.config.reverse_source
    assert np.allclose(m.weights, raw[:, ::-1], atol=1e-6)


def test_a_run_without_attention_says_so(tiny_grammar_run):
    with pytest.raises(UserError, match="has no attention"):
        attention_map(load_run(tiny_grammar_run), "John admires Mary")
