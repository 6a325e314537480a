"""Search on a model that really learned something: the reverse task."""

import pytest
import torch

from core.batching import pad
from core.config.search import SearchConfig
from core.search import beam_search, greedy_search, max_lengths
from tests.helpers.toy import train_reverse_task_model

pytestmark = pytest.mark.slow  # every test reads the model the module fixture trains


@pytest.fixture(scope="module")
def trained():
    model, test = train_reverse_task_model()
    src = pad(test.src)
    src_len = torch.tensor([len(s) for s in test.src])
    return model, test, src, src_len


def test_tiny_lstm_learns_to_reverse_unseen_sequences(trained):
    model, test, src, src_len = trained
    hyps = greedy_search(model, src, src_len)
    exact = sum(h.tokens == t for h, t in zip(hyps, test.tgt)) / len(test)
    assert len(test) > 200 and exact >= 0.9


def test_beam_of_one_is_greedy(trained):
    model, _, src, src_len = trained
    greedy = greedy_search(model, src, src_len)
    beam = beam_search(model, src, src_len, SearchConfig(beam=1))
    for (b,), g in zip(beam, greedy):
        assert b.tokens == g.tokens
        assert b.logprob == pytest.approx(g.logprob, abs=1e-4)


def test_beam_never_scores_worse_than_greedy(trained):
    model, _, src, src_len = trained
    greedy = greedy_search(model, src, src_len)
    for k in (2, 5):
        for (best, *_), g in zip(beam_search(model, src, src_len, SearchConfig(beam=k, nbest=1)), greedy):
            assert best.logprob >= g.logprob - 1e-4


def test_nbest_lists_are_sorted_distinct_and_scored(trained):
    model, _, src, src_len = trained
    results = beam_search(model, src[:20], src_len[:20], SearchConfig(beam=5, nbest=3))
    for nbest in results:
        assert len(nbest) == 3
        assert [h.score for h in nbest] == sorted((h.score for h in nbest), reverse=True)
        assert len({tuple(h.tokens) for h in nbest}) == 3
        assert all(h.logprob < 0 for h in nbest)


def test_batched_beam_equals_one_sentence_at_a_time(trained):
    model, test, src, src_len = trained
    batched = beam_search(model, src[:16], src_len[:16], SearchConfig(beam=4, nbest=2))
    for i in range(16):
        alone = beam_search(model, pad([test.src[i]]), src_len[i : i + 1], SearchConfig(beam=4, nbest=2))[0]
        assert [h.tokens for h in alone] == [h.tokens for h in batched[i]]


def test_length_limit_is_relative_to_the_source(trained):
    model, _, src, src_len = trained
    config = SearchConfig(beam=3, max_len_a=0.0, max_len_b=2)
    for nbest in beam_search(model, src[:10], src_len[:10], config):
        assert len(nbest[0].tokens) <= 2 and not nbest[0].finished
    assert max_lengths(torch.tensor([1, 10, 1000]), SearchConfig()).tolist() == [12, 30, 400]


def test_length_penalty_changes_ranking_scale(trained):
    model, _, src, src_len = trained
    plain = beam_search(model, src[:5], src_len[:5], SearchConfig(beam=3))
    normed = beam_search(model, src[:5], src_len[:5], SearchConfig(beam=3, length_penalty=1.0))
    for p, n in zip(plain, normed):
        assert p[0].score == pytest.approx(p[0].logprob)
        assert n[0].score > n[0].logprob  # divided by ((5 + |Y|) / 6) > 1
