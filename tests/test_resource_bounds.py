"""Resource bounds (issue 9): inputs far beyond normal end with a bounded result and a message,
never with memory exhausted.

- beam search: the beam is at most core.config.search.MAX_BEAM; a batch whose decoding step would hold
  more than MAX_DECODE_FLOATS numbers is split into chunks of sentences, with the same results;
  outputs stop at max_len_cap tokens and say so (finished=False; `s2s translate` notes it).
- `s2s embed` and `s2s translate`: a source is read up to MAX_SOURCE_TOKENS, with a note.
- Thought Vectors: pasted sentences beyond MAX_SENTENCES are cut, with a note on the set.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import core.search as search
from core.cli import main
from core.config.model import ModelConfig
from core.config.search import MAX_BEAM, MAX_OUTPUT_TOKENS, SearchConfig
from core.errors import UserError
from core.model import Seq2Seq
from core.run.loaded import MAX_SOURCE_TOKENS
from core.search import beam_search, greedy_search
from explorer.thought_vectors.sentence_sets import MAX_SENTENCES, from_blocks, from_table


def tiny_model(attention: bool) -> Seq2Seq:
    torch.manual_seed(0)
    config = ModelConfig(src_vocab=20, tgt_vocab=20, emb_dim=8, hidden=16, layers=1, dropout=0.0,
                         attention=attention)  # fmt: skip
    return Seq2Seq(config).eval()


def batch(n: int, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(1)
    return torch.randint(4, 20, (n, length), generator=generator), torch.full((n,), length)


class RowSpy:
    """Records the rows and attended positions of every decoding step."""

    def __init__(self, monkeypatch):
        self.steps: list[tuple[int, int]] = []
        real = search._log_probs

        def spy(model, tok, encoded):
            self.steps.append((tok.size(0), 0 if encoded.memory is None else encoded.memory.size(1)))
            return real(model, tok, encoded)

        monkeypatch.setattr(search, "_log_probs", spy)

    def max_floats(self, model: Seq2Seq) -> int:
        c = model.config
        return max(rows * (c.tgt_vocab + (s * c.hidden if c.attention else 0)) for rows, s in self.steps)


def test_beam_wider_than_the_cap_is_refused_with_the_cap():
    assert SearchConfig(beam=MAX_BEAM).beam == MAX_BEAM
    with pytest.raises(UserError, match=f"at least 1 .* and at most {MAX_BEAM}, not {MAX_BEAM + 1}"):
        SearchConfig(beam=MAX_BEAM + 1)


@pytest.mark.parametrize("length_penalty", [-1.0, 6.0, 1e300, float("nan")])
def test_length_penalty_out_of_range_is_refused(length_penalty):
    # 1e300 raised OverflowError in length_normalised before the range was checked
    match = "must be numbers" if length_penalty != length_penalty else "--length-penalty must be between 0"
    with pytest.raises(UserError, match=match):
        SearchConfig(length_penalty=length_penalty)


def test_length_limits_are_clamped_for_any_a_and_b():
    # --max-len-b 10**30 raised "int too big to convert"; a huge --max-len-a overflowed to a negative long
    src_len = torch.tensor([1, 10, 1000])
    assert search.max_lengths(src_len, SearchConfig(max_len_b=10**30)).tolist() == [400, 400, 400]
    assert search.max_lengths(src_len, SearchConfig(max_len_a=1e300)).tolist() == [400, 400, 400]
    assert search.max_lengths(src_len, SearchConfig(max_len_a=-5.0, max_len_b=-(10**30))).tolist() == [
        1,
        1,
        1,
    ]


@pytest.mark.parametrize("attention", [False, True])
def test_a_wide_beam_over_many_sentences_is_decoded_in_chunks_with_the_same_result(monkeypatch, attention):
    model = tiny_model(attention)
    src, src_len = batch(12, 30)
    config = SearchConfig(beam=50, nbest=2, max_len_a=0.0, max_len_b=8)
    whole = beam_search(model, src, src_len, config)
    spy = RowSpy(monkeypatch)
    budget = 50 * (20 + (30 * 16 if attention else 0)) * 3  # three sentences of 50 beams per chunk
    monkeypatch.setattr(search, "MAX_DECODE_FLOATS", budget)
    chunked = beam_search(model, src, src_len, config)
    assert spy.max_floats(model) <= budget
    assert max(rows for rows, _ in spy.steps) == 150
    assert [[h.tokens for h in nbest] for nbest in chunked] == [[h.tokens for h in nbest] for nbest in whole]
    for a, b in zip(chunked, whole):
        assert [h.logprob for h in a] == pytest.approx([h.logprob for h in b], rel=1e-5, abs=1e-5)


def test_greedy_search_is_chunked_too(monkeypatch):
    model = tiny_model(attention=False)
    src, src_len = batch(40, 5)
    config = SearchConfig(beam=1, max_len_a=0.0, max_len_b=6)
    whole = greedy_search(model, src, src_len, config)
    spy = RowSpy(monkeypatch)
    monkeypatch.setattr(search, "MAX_DECODE_FLOATS", 20 * 7)  # 7 sentences at a time
    chunked = greedy_search(model, src, src_len, config)
    assert max(rows for rows, _ in spy.steps) == 7
    assert [h.tokens for h in chunked] == [h.tokens for h in whole]


def test_one_sentence_whose_beam_alone_exceeds_the_budget_is_still_decoded(monkeypatch):
    model = tiny_model(attention=True)
    src, src_len = batch(3, 40)
    monkeypatch.setattr(search, "MAX_DECODE_FLOATS", 1)
    spy = RowSpy(monkeypatch)
    results = beam_search(model, src, src_len, SearchConfig(beam=MAX_BEAM, max_len_a=0.0, max_len_b=3))
    assert len(results) == 3 and all(results)
    assert max(rows for rows, _ in spy.steps) == MAX_BEAM  # one sentence at a time, never more


def test_beam_50_on_a_long_input_is_bounded_and_says_so(tiny_grammar_run, tmp_path, capsys, monkeypatch):
    from core.run.loaded import load_run
    from core.translate import translate

    long_line = " ".join(["John admires Mary and"] * 1_000)  # 4,000 words: cut at MAX_SOURCE_TOKENS
    run = load_run(tiny_grammar_run, "cpu")
    spy = RowSpy(monkeypatch)
    (best, *_), *_ = translate(run, [long_line, "Mary admires John"], SearchConfig(beam=50, nbest=2))
    assert max(s for _, s in spy.steps) <= MAX_SOURCE_TOKENS
    assert max(rows for rows, _ in spy.steps) <= 2 * 50
    assert best.n_tokens <= SearchConfig().max_len_cap
    short = SearchConfig(beam=50, max_len_a=0.0, max_len_b=3)
    ((cut,),) = translate(run, [long_line], short)
    path = tmp_path / "long.txt"
    path.write_text(long_line + "\n")
    assert main(["translate", "--run", str(tiny_grammar_run), "--input", str(path), "--beam", "50",
                 "--max-len-b", "3", "--max-len-a", "0"]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert f"line 1: only its first {MAX_SOURCE_TOKENS:,} tokens are read (it has" in err
    assert ("line 1: the translation stopped at its length limit" in err) == (not cut.finished)
    assert cut.n_tokens <= 3


def test_embed_reads_a_100000_token_line_up_to_the_cut_and_says_so(tiny_grammar_run, tmp_path, capsys):
    path, out = tmp_path / "long.txt", tmp_path / "v.npy"
    path.write_text(" ".join(["Mary"] * 100_000) + "\nJohn admires Mary\n")
    assert main(["embed", "--run", str(tiny_grammar_run), "--input", str(path), "--output", str(out)]) == 0
    assert np.load(out).shape[0] == 2
    err = capsys.readouterr().err
    assert f"line 1: only its first {MAX_SOURCE_TOKENS:,} tokens are read (it has 100,000)" in err
    assert "line 2" not in err


def test_ten_thousand_pasted_sentences_give_a_bounded_map_and_a_note():
    text = "\n".join(f"sentence number {i}" + ("\n" if i % 7 == 0 else "") for i in range(10_000))
    pasted = from_blocks(text)
    assert len(pasted.sentences) == len(pasted.groups) == len(pasted.families) == MAX_SENTENCES
    assert pasted.sentences[-1] == f"sentence number {MAX_SENTENCES - 1}"
    assert all(max(i, j) < MAX_SENTENCES for i, j, _ in pasted.links)
    assert "10,000" in pasted.note and f"{MAX_SENTENCES:,}" in pasted.note
    assert from_blocks("a b\nc d\n").note == ""


def test_a_suite_too_big_for_a_map_is_refused_with_what_to_do():
    from core.corpus.probe_suite import ProbeTable

    n = MAX_SENTENCES // 3 + 1
    rows = tuple((f"a{i}", f"b{i}", f"c{i}") for i in range(n))
    table = ProbeTable("big", ("a", "b", "c"), tuple(map(str, range(n))), rows)
    with pytest.raises(UserError, match="show fewer families"):
        from_table(table)
    assert len(from_table(table, max_families=10).sentences) == 30


def test_a_caller_asking_for_longer_outputs_than_the_cap_gets_the_cap():
    # found by the fuzzer: `s2s surgery decode --max-len 2147483648` decoded for ever (greedy_decode
    # took the caller's limits as they were)
    from core.model import Encoded

    model = tiny_model(attention=False)
    src, src_len = batch(2, 5)
    encoded = model.encode(src, src_len)
    hyps = search.greedy_decode(model, Encoded(encoded.state, None, None), torch.full((2,), 2**31))
    assert all(len(h.tokens) <= MAX_OUTPUT_TOKENS for h in hyps)


def test_bootstrap_resamples_are_bounded():
    # found by the fuzzer: `s2s probe --boot 10**30` resampled for ever
    from core.analysis.bootstrap import MAX_BOOT, bootstrap_interval

    assert bootstrap_interval(np.arange(5.0), n_boot=10)
    with pytest.raises(UserError, match=f"between 1 and {MAX_BOOT:,}"):
        bootstrap_interval(np.arange(5.0), n_boot=10**30)
