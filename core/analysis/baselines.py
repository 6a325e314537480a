"""Surface baselines: what a probe margin would be without a trained encoder.

A margin is evidence that the thought vector keeps meaning only when it beats what the
sentences' surface already gives. Three baselines are scored exactly as a model is (the same
cosines, margin and bootstrap: core.analysis.probe_scores.score_vectors):

- bag_of_words: a count vector of the sentence's words.
- bag_of_bigrams: a count vector of its adjacent word pairs, with <s> and </s> at the ends (so
  the first and last word count too).
- untrained: the run's own encoder at step 0 (same config, the weights its training started
  from), on the same state and layers as the model.

Words are the lowercased whitespace tokens (core.corpus.probe_suite.words), the same for every
run: the grammar's sentences are already tokenised ("In the garden , I gave her a card"), a
word-level run reads them the same way, and a SentencePiece run's pieces are not words. In a
controlled suite, whose negative has the anchor's words in another order, bag_of_words gives
cos(anchor, negative) = 1, so its margin is at most 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from core.corpus.probe_suite import words
from core.errors import UserError

if TYPE_CHECKING:  # torch only where a model is built
    from core.run.loaded import LoadedRun

BAG_OF_WORDS, BAG_OF_BIGRAMS, UNTRAINED = "bag_of_words", "bag_of_bigrams", "untrained"
BASELINES = (BAG_OF_WORDS, BAG_OF_BIGRAMS, UNTRAINED)
BOUNDARY = ("<s>", "</s>")  # sentence ends, as bigram features: "<s> john", "mary </s>"


def bigrams(sentence: str) -> list[str]:
    """Adjacent word pairs, the ends marked: "John admires Mary" -> "<s> john", ..., "mary </s>"."""
    tokens = [BOUNDARY[0], *words(sentence), BOUNDARY[1]]
    return [f"{a} {b}" for a, b in pairwise(tokens)]


def count_vectors(features: Sequence[Sequence[str]]) -> np.ndarray:
    """Feature lists (n,) -> counts (n, F) over the F distinct features of all of them."""
    index: dict[str, int] = {}
    for sentence in features:
        for feature in sentence:
            index.setdefault(feature, len(index))
    counts = np.zeros((len(features), max(1, len(index))), dtype=np.float64)
    for row, sentence in enumerate(features):
        for feature in sentence:
            counts[row, index[feature]] += 1
    return counts


def bag_of_words(sentences: Sequence[str]) -> np.ndarray:
    """(n,) sentences -> (n, W) word counts, one shared vocabulary."""
    return count_vectors([words(s) for s in sentences])


def bag_of_bigrams(sentences: Sequence[str]) -> np.ndarray:
    """(n,) sentences -> (n, G) bigram counts, one shared vocabulary."""
    return count_vectors([bigrams(s) for s in sentences])


def untrained_run(run: LoadedRun) -> LoadedRun:
    """The run at step 0: its config and tokenizers, the weights its training drew first.

    The trainer seeds with torch.manual_seed(train.seed) right before Seq2Seq(model_config)
    (core/training/session.py), so config.json alone rebuilds them; the global RNG is left as
    it was.
    """
    import torch

    from core.model import Seq2Seq

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(run.config.train.seed)  # config.json, read by core.run.config
        model = Seq2Seq(run.model_config)
    return replace(run, model=model.to(run.device).eval(), step=0)


def surface_vectors(name: str, sentences: Sequence[str]) -> np.ndarray:
    """The model-free baselines: (n,) sentences -> (n, F) for BAG_OF_WORDS or BAG_OF_BIGRAMS."""
    vectorize = {BAG_OF_WORDS: bag_of_words, BAG_OF_BIGRAMS: bag_of_bigrams}.get(name)
    if vectorize is None:
        raise UserError(f"no surface baseline {name!r}: choose {BAG_OF_WORDS} or {BAG_OF_BIGRAMS}")
    return vectorize(sentences)
