"""Real data: a small model trained for a fixed number of steps on 2,000 Tatoeba pairs beats
its own untrained weights (saved at step 0) on dev perplexity."""

import itertools

import pytest

from core.batching import encode_pairs
from core.config.model import ModelConfig
from core.config.tokenizer import TokenizerConfig
from core.config.training import TrainConfig
from core.corpus.dataset import load_data
from core.model import Seq2Seq
from core.run.loaded import load_run
from core.scoring import perplexity
from core.training.session import RunRequest, train_run

pytestmark = pytest.mark.slow


def test_trained_model_beats_untrained_on_dev_perplexity(shared_data, tmp_path):
    tsv = shared_data / "tatoeba-eng-fra" / "eng-fra.train.tsv"
    with open(tsv, encoding="utf-8") as f:
        lines = list(itertools.islice(f, 20_000, 22_000))  # short sentences, past the one-word ones
    sample = tmp_path / "tatoeba2k.tsv"
    sample.write_text("".join(lines), encoding="utf-8")

    config = TrainConfig(batch_size=32, steps=250, lr=3e-3, eval_every=250, checkpoint_every=250, log_every=50,
                         dev_bleu_sentences=20)  # fmt: skip
    request = RunRequest(data=str(sample), out=tmp_path / "run", model=ModelConfig(emb_dim=64, hidden=128, layers=2),
                         train=config, tokenizer=TokenizerConfig(kind="unigram", vocab_size=1000))  # fmt: skip
    assert train_run(request) == "finished"

    trained = load_run(tmp_path / "run")
    untrained = Seq2Seq(trained.model_config)  # freshly initialised, as the run was at step 0
    data = load_data(str(sample))
    dev = encode_pairs(data.dev, trained.src_tok, trained.tgt_tok, max_len=100)
    assert len(dev) >= 90
    _, ppl_trained = perplexity(trained.model, dev, trained.device)
    _, ppl_untrained = perplexity(untrained, dev, trained.device)
    assert ppl_trained < 0.5 * ppl_untrained
