"""Vector surgery on the tiny grammar run: decoding a sentence's own state is its translation."""

from dataclasses import replace

import numpy as np
import pytest

from core.analysis.suites import builtin_suites
from core.analysis.surgery import (
    column_offset,
    decode_states,
    decode_vectors,
    interpolate,
    offset_and_decode,
    sentence_states,
)
from core.config.search import SearchConfig
from core.errors import UserError
from core.run.loaded import load_run
from core.translate import translate_best
from core.vectors import vector_to_state

SENTENCES = ["John admires Mary", "She was given a card by me in the garden", "Paul helps Anna"]
FIXED_LIMIT = SearchConfig(beam=1, max_len_a=0.0, max_len_b=50)  # the same length limit as surgery's


@pytest.fixture(scope="module")
def run(tiny_grammar_run):
    return load_run(tiny_grammar_run, device="cpu")


def test_decoding_a_sentences_own_state_gives_its_greedy_translation(run):
    states = sentence_states(run, SENTENCES)
    assert states.shape == (3, 2 * 2 * 64)
    assert decode_vectors(run, states) == translate_best(run, SENTENCES, FIXED_LIMIT)
    h, c = vector_to_state(states, 2, 64)
    assert decode_states(run, h, c) == decode_states(run, h.numpy(), c.numpy())  # torch or numpy
    beam = replace(FIXED_LIMIT, beam=3)
    assert decode_states(run, h, c, beam=3) == translate_best(run, SENTENCES, beam)


def test_interpolation_ends_at_each_sentence(run):
    source, target = SENTENCES[0], SENTENCES[1]
    path = interpolate(run, source, target, steps=4)
    assert [p.alpha for p in path] == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert [path[0].text, path[-1].text] == translate_best(run, [source, target], FIXED_LIMIT)
    with pytest.raises(UserError, match="at least 2 steps"):
        interpolate(run, source, target, steps=1)


def test_voice_offset_moves_the_state_by_the_mean_difference(run):
    table = builtin_suites()["voice"]
    offset = column_offset(run, table, "active", "passive")
    assert offset.shape == (256,)
    result = offset_and_decode(run, table, "John admires Mary", scale=1.0)
    assert set(result.to_dict()) >= {"sentence", "before", "after", "offset_norm"}
    assert result.before == translate_best(run, ["John admires Mary"], FIXED_LIMIT)[0]
    assert result.offset_norm == pytest.approx(float(np.linalg.norm(offset)), rel=1e-5)
    unchanged = offset_and_decode(run, table, "John admires Mary", scale=0.0)
    assert unchanged.after == unchanged.before
    tense = offset_and_decode(
        run, builtin_suites()["tense"], "John admires Mary", from_column="present", to_column="past"
    )
    assert tense.n_families == 200


def test_surgery_refuses_what_it_cannot_do(run):
    h, c = vector_to_state(sentence_states(run, SENTENCES[:1]), 2, 64)
    with pytest.raises(UserError, match=r"\[L=2, n, H=64\]"):
        decode_states(run, h[:1], c[:1])
    with pytest.raises(UserError, match="full state"):
        decode_vectors(run, np.zeros((1, 10)))
    with pytest.raises(UserError, match="Zorglub"):
        interpolate(run, "John admires Zorglub", "Mary admires John")
    attention = replace(run, model_config=replace(run.model_config, attention=True))
    with pytest.raises(UserError, match="uses attention"):
        decode_states(attention, h, c)
    with pytest.raises(UserError, match="no column 'agent'"):
        offset_and_decode(run, builtin_suites()["voice"], "John admires Mary", from_column="agent")
