import pytest

from core.corpus.description import corpus_stats
from core.corpus.filtering import filter_by_length
from core.corpus.split import split_pairs
from core.errors import UserError


def many_to_many(n_sources: int = 40, translations: int = 3) -> list[tuple[str, str]]:
    return [(f"Sentence {i}.", f"Phrase {i} v{j}.") for i in range(n_sources) for j in range(translations)]


def test_split_is_deterministic_for_a_seed():
    pairs = many_to_many()
    assert split_pairs(pairs, seed=3) == split_pairs(pairs, seed=3)
    assert split_pairs(pairs, seed=3) != split_pairs(pairs, seed=4)


def test_split_has_no_source_leakage():
    shouted = [(f"SENTENCE {i}.", f"PHRASE {i}.") for i in range(40)]  # same sources, other case
    pairs = many_to_many() + shouted
    split = split_pairs(pairs, dev_size=5, test_size=4, seed=0)
    assert (len(split.dev), len(split.test)) == (5, 4)
    held = [src.casefold() for src, _ in split.dev + split.test]
    assert len(set(held)) == len(held)  # distinct sources within and across dev/test
    assert not {src.casefold() for src, _ in split.train} & set(held)
    assert len(split.train) + len(split.dev) + len(split.test) + split.n_dropped == len(pairs)


def test_split_fractions_and_minimum_of_one():
    pairs = [(f"s{i}", f"t{i}") for i in range(100)]
    split = split_pairs(pairs, dev_size=0.1, test_size=0.05)
    assert (len(split.train), len(split.dev), len(split.test)) == (85, 10, 5)
    tiny = split_pairs(pairs[:3], dev_size=0.01, test_size=0.01)
    assert (len(tiny.train), len(tiny.dev), len(tiny.test)) == (1, 1, 1)


@pytest.mark.parametrize(
    "pairs, kwargs, message",
    [
        ([("a", "b"), ("c", "d")], {}, "at least 3"),
        ([("a", "b")] * 10, {}, "distinct source sentences"),
        ([(f"s{i}", "t") for i in range(10)], {"dev_size": 0}, "at least 1"),
        ([(f"s{i}", "t") for i in range(10)], {"test_size": 1.5}, "between 0 and 1"),
        ([(f"s{i}", "t") for i in range(10)], {"dev_size": 5, "test_size": 5}, "smaller dev/test"),
    ],
)
def test_split_rejects_impossible_requests(pairs, kwargs, message):
    with pytest.raises(UserError, match=message):
        split_pairs(pairs, **kwargs)


def test_filter_by_length():
    pairs = [("a b", "c"), ("a " * 60, "b"), ("a", "b " * 51), ("x", "")]
    kept, n_dropped = filter_by_length(pairs)
    assert kept == [("a b", "c")] and n_dropped == 3
    assert filter_by_length(pairs, max_words=2, min_words=2) == ([], 4)
    with pytest.raises(UserError):
        filter_by_length(pairs, max_words=1, min_words=2)


def test_corpus_stats():
    stats = corpus_stats([("a b", "c d e"), ("a b", "f"), ("g", "h i")])
    assert (stats.n_pairs, stats.n_source_words, stats.n_target_words) == (3, 5, 6)
    assert stats.source_lengths == [2, 2, 1] and stats.target_lengths == [3, 1, 2]
    assert stats.mean_source_len == pytest.approx(5 / 3) and stats.mean_target_len == 2.0
    assert stats.n_distinct_sources == 2
    assert corpus_stats([]).mean_source_len == 0.0
