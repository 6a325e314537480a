"""More than a mean cosine: how the thought vectors of labelled sentences are arranged.

X is always a float array (n, d), labels a sequence of n hashable class labels (e.g. the
meaning of a sentence: a family id shared by a sentence and its paraphrase).

- silhouette: are the meaning classes compact and apart (cosine metric)?
- retrieval_accuracy: is each sentence's nearest other sentence one with the same meaning?
- knn_preservation: how many of each point's nearest neighbours a map (projection) keeps.
- linear_probe: can a logistic regression read a property (voice, tense, a word-order swap)
  off the vectors? Reported with a control task, the same probe on randomly permuted labels
  (Hewitt & Liang 2019): the selectivity (accuracy - control) is what the vectors encode
  beyond what a probe can memorise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from core.errors import UserError

_CHUNK = 2048  # rows of the similarity matrix held at once: bounded memory for a 20k corpus
FAITHFULNESS_K = 10
FAITHFULNESS_SAMPLE = 1000  # points whose neighbourhoods are compared: cheap for 50k, standard error < 0.02


def _matrix(X) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) == 0:
        raise UserError(f"expected vectors as a 2-D array (n, d) with n >= 1, not shape {X.shape}")
    if not np.isfinite(X).all():
        raise UserError("the vectors contain NaN or infinite values")
    return X


def _labels(labels: Sequence[Hashable], n: int) -> np.ndarray:
    if len(labels) != n:
        raise UserError(f"{len(labels)} labels for {n} vectors: give one label per vector")
    _, codes = np.unique(np.asarray([str(label) for label in labels]), return_inverse=True)
    if codes.max(initial=0) < 1:
        raise UserError("the labels have a single class: a score needs at least two")
    return codes


def normalise_rows(X) -> np.ndarray:
    """(n, d) -> (n, d) of unit rows (a zero row stays zero)."""
    X = np.asarray(X, dtype=np.float64)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms == 0, 1.0, norms)


def cosine_matrix(X) -> np.ndarray:
    """(n, d) -> (n, n) cosine similarities."""
    U = normalise_rows(_matrix(X))
    return U @ U.T


def _with_partner(codes: np.ndarray) -> np.ndarray:
    """Mask (n,) of points whose class has another member (only they can find a paraphrase)."""
    counts = np.bincount(codes)
    mask = counts[codes] >= 2
    if not mask.any():
        raise UserError("no class has two or more members: nothing to group or retrieve")
    return mask


def silhouette(X, labels: Sequence[Hashable]) -> float:
    """Mean cosine silhouette (-1..1) over points whose class has >= 2 members.

    Singletons (e.g. the role-swapped negatives of a suite) still count as other classes.
    """
    from sklearn.metrics import silhouette_samples

    X = _matrix(X)
    codes = _labels(labels, len(X))
    if codes.max() + 1 >= len(X):
        raise UserError("every vector has its own label: a silhouette needs classes with several members")
    values = silhouette_samples(X, codes, metric="cosine")
    return float(values[_with_partner(codes)].mean())


def retrieval_accuracy(X, labels: Sequence[Hashable]) -> float:
    """Share of points (with a same-class partner) whose nearest other point by cosine has
    the same label."""
    X = _matrix(X)
    codes = _labels(labels, len(X))
    mask = _with_partner(codes)
    U = normalise_rows(X)
    hits = []
    for start in range(0, len(U), _CHUNK):
        sims = U[start : start + _CHUNK] @ U.T  # [chunk, n]
        rows = np.arange(len(sims))
        sims[rows, start + rows] = -np.inf  # never the point itself
        hits.append(codes[sims.argmax(1)] == codes[start : start + _CHUNK])
    return float(np.concatenate(hits)[mask].mean())


@dataclass(frozen=True)
class LinearProbe:
    """What a cross-validated linear probe could read (linear_probe)."""

    accuracy: float  # mean held-out accuracy over the folds
    control_accuracy: float  # the same probe on labels permuted at random (a control task)
    selectivity: float  # accuracy - control_accuracy (Hewitt & Liang 2019)
    chance: float  # the majority class's share
    n: int  # sentences probed
    folds: int


def linear_probe(
    X, labels: Sequence[Hashable], folds: int = 5, seed: int = 0, groups: Sequence[Hashable] | None = None
) -> LinearProbe:
    """Cross-validated accuracy of a logistic regression predicting `labels` from X.

    `groups` (e.g. the family of each sentence) keeps all of a group in one fold, so a probe
    is never tested on the sibling of a training sentence.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = _matrix(X)
    y = _labels(labels, len(X))
    if folds < 2:
        raise UserError(f"a cross-validated probe needs at least 2 folds, not {folds}")
    smallest = np.bincount(y).min()
    if smallest < folds:
        raise UserError(
            f"the smallest class has {smallest} members: {folds}-fold cross-validation needs {folds}"
        )
    if groups is None:
        splitter, group_codes = StratifiedKFold(folds, shuffle=True, random_state=seed), None
    else:
        group_codes = _labels(groups, len(X)) if len(set(map(str, groups))) > 1 else None
        if group_codes is None or group_codes.max() + 1 < folds:
            raise UserError(f"{folds}-fold cross-validation by group needs at least {folds} groups")
        splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)

    def accuracy(targets: np.ndarray) -> float:
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        return float(cross_val_score(model, X, targets, cv=splitter, groups=group_codes).mean())

    control = np.random.default_rng(seed).permutation(y)  # same class balance, no relation to X
    acc, ctrl = accuracy(y), accuracy(control)
    return LinearProbe(acc, ctrl, acc - ctrl, max(Counter(y.tolist()).values()) / len(y), len(y), folds)


def _neighbours(X: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Indices (m, k) of the k nearest other points (euclidean) of each query row index."""
    sq = (X.astype(np.float64) ** 2).sum(1)
    out = []
    for start in range(0, len(queries), 256):
        q = queries[start : start + 256]
        d2 = sq[q, None] - 2.0 * (X[q] @ X.T).astype(np.float64) + sq[None, :]  # [m, n]
        d2[np.arange(len(q)), q] = np.inf
        out.append(np.argpartition(d2, k - 1, axis=1)[:, :k])
    return np.concatenate(out)


def faithfulness_k(n: int, k: int = FAITHFULNESS_K) -> int:
    """The neighbourhood size used for n points: at most k, and at most half of the others,
    so that a handful of points (e.g. the six of Figure 2) cannot score 100% by default."""
    return min(k, (n - 1) // 2) if n > 2 else n - 1


def knn_preservation(
    X_high, Y_low, k: int = FAITHFULNESS_K, sample: int = FAITHFULNESS_SAMPLE, seed: int = 0
) -> float:
    """Mean share (0..1) of each point's k nearest neighbours in X_high (n, d) that are also
    among its k nearest in Y_low (n, m); estimated on a seeded sample of `sample` points."""
    X, Y = np.asarray(X_high, dtype=np.float32), np.asarray(Y_low, dtype=np.float32)
    if len(X) != len(Y):
        raise UserError(f"{len(X)} vectors but {len(Y)} map points")
    k = faithfulness_k(len(X), k)
    if k < 1:
        return 1.0  # a single point keeps its (empty) neighbourhood
    queries = np.arange(len(X))
    if len(X) > sample:
        queries = np.sort(np.random.default_rng(seed).choice(len(X), sample, replace=False))
    high, low = _neighbours(X, queries, k), _neighbours(Y, queries, k)
    kept = [len(np.intersect1d(a, b, assume_unique=True)) for a, b in zip(high, low)]
    return float(np.mean(kept) / k)
