"""Mean-centred thought vectors: cosines that are not dominated by what every sentence shares.

LSTM states share a large common component (every sentence's vector points roughly the same
way), so raw cosines are all high and their differences small. Subtracting the mean vector of
a fixed reference set of corpus sentences removes that component; margins on centred vectors
are reported beside the raw ones, and their baselines are centred on the same reference set
(core.analysis.probe_report). The reference is a seeded sample of the run's own training
sources, so the same run always gets the same mean.

Vectors are (n, d); the mean is (d,).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from core.errors import UserError
from core.run.loaded import LoadedRun
from core.vector_choice import DEFAULT_LAYERS, DEFAULT_STATE
from core.vectors import encode

REFERENCE_SIZE = 1000  # sentences in the reference set: the mean's standard error is ~3% of a row's spread
REFERENCE_SEED = 0  # fixed, not the training seed: every run of a corpus is centred on the same sentences


def reference_sentences(
    sources: Sequence[str], size: int = REFERENCE_SIZE, seed: int = REFERENCE_SEED
) -> list[str]:
    """A fixed sample of `size` distinct non-empty source sentences (all of them if fewer)."""
    if size < 1:
        raise UserError(f"the reference set needs at least 1 sentence, not {size}")
    pool = sorted({s for s in sources if s.strip()})  # sorted: the sample does not depend on file order
    if not pool:
        raise UserError("the corpus has no source sentences to compute a reference mean from")
    return pool if len(pool) <= size else random.Random(seed).sample(pool, size)


def training_reference(run: LoadedRun) -> list[str]:
    """reference_sentences of the run's own training sources."""
    from core.run.data import run_data

    return reference_sentences([s for s, _ in run_data(run.path, run.config).train])


def reference_mean(
    run: LoadedRun,
    sentences: Sequence[str] | None = None,
    state: str = DEFAULT_STATE,
    layers: str | int = DEFAULT_LAYERS,
) -> np.ndarray:
    """The (d,) mean thought vector of `sentences` (default: training_reference(run)), for the
    same state and layers as the vectors it will centre."""
    if sentences is None:
        sentences = training_reference(run)
    return encode(run, list(sentences), state=state, layers=layers).mean(0)


def centre(vectors, mean) -> np.ndarray:
    """(n, d) vectors minus the (d,) reference mean -> (n, d) float64."""
    X, m = np.asarray(vectors, dtype=np.float64), np.asarray(mean, dtype=np.float64)
    if X.ndim != 2 or m.shape != (X.shape[1],):
        raise UserError(f"cannot centre vectors of shape {X.shape} on a mean of shape {m.shape}")
    return X - m
