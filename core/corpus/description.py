"""Summary numbers of a parallel corpus for the Data page (pure Python, no numpy)."""

from __future__ import annotations

from dataclasses import dataclass

from core.corpus.readers import ReadReport

Pair = tuple[str, str]


@dataclass(frozen=True)
class CorpusStats:
    n_pairs: int
    n_source_words: int  # whitespace words, all pairs together
    n_target_words: int
    mean_source_len: float  # words per sentence; 0.0 for an empty corpus
    mean_target_len: float
    source_lengths: list[int]  # words per source sentence, in corpus order (for histograms)
    target_lengths: list[int]
    n_distinct_sources: int  # fewer than n_pairs when a source has several translations


def corpus_stats(pairs: list[Pair]) -> CorpusStats:
    source_lengths = [len(source.split()) for source, _ in pairs]
    target_lengths = [len(target.split()) for _, target in pairs]
    n = len(pairs)
    n_source_words, n_target_words = sum(source_lengths), sum(target_lengths)
    return CorpusStats(
        n_pairs=n,
        n_source_words=n_source_words,
        n_target_words=n_target_words,
        mean_source_len=n_source_words / n if n else 0.0,
        mean_target_len=n_target_words / n if n else 0.0,
        source_lengths=source_lengths,
        target_lengths=target_lengths,
        n_distinct_sources=len({source for source, _ in pairs}),
    )


@dataclass(frozen=True)
class CorpusSummary:
    """What the Data page shows of a corpus: its numbers and first pairs, and how it was read (a
    file: the reader's report) or made (the built-in grammar: its splits and probe suites)."""

    stats: CorpusStats
    preview: tuple[Pair, ...]  # the first pairs
    report: ReadReport | None = None  # a file's
    splits: tuple[int, int, int] | None = None  # the built-in grammar's train, dev and test sizes
    n_suites: int = 0  # the built-in grammar's probe suites
