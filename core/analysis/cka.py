"""Linear CKA (Kornblith et al. 2019): how alike two sets of vectors of the same sentences are.

CKA compares representations of the same n inputs, whatever their dimensions: 1 for identical
geometry, invariant to rotations and isotropic scaling of either set (not to arbitrary linear
maps), near 0 for unrelated ones. Between two runs it is computed per layer and per state (h, c).
Read it against a seed baseline: CKA between two seeds of the same configuration, i.e. how
different two runs are that differ in nothing but their random start.

X is (n, d1) and Y is (n, d2): row i of both is the same sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.errors import UserError
from core.run.loaded import LoadedRun
from core.vectors import encode

STATES = ("h", "c")  # CKA per state: h (the output) and c (the memory) can differ a lot


def _pair(X, Y) -> tuple[np.ndarray, np.ndarray]:
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.ndim != 2 or len(X) != len(Y):
        raise UserError(
            f"CKA compares vectors of the same sentences: shapes {X.shape} and {Y.shape} do not pair"
        )
    if len(X) < 2:
        raise UserError(f"CKA needs at least 2 sentences, not {len(X)}")
    if not (np.isfinite(X).all() and np.isfinite(Y).all()):
        raise UserError("the vectors contain NaN or infinite values")
    return X, Y


def linear_cka(X, Y) -> float:
    """(n, d1), (n, d2) -> CKA in [0, 1]: ||Yc' Xc||_F^2 / (||Xc' Xc||_F ||Yc' Yc||_F), columns centred.

    The feature-space form of HSIC(XX', YY') / sqrt(HSIC(XX', XX') HSIC(YY', YY')) (Kornblith et
    al. 2019, eq. 5): cheap when d is smaller than n. 0 when either set has no variance.
    """
    X, Y = _pair(X, Y)
    X, Y = X - X.mean(0), Y - Y.mean(0)
    cross = np.linalg.norm(Y.T @ X) ** 2
    norms = np.linalg.norm(X.T @ X) * np.linalg.norm(Y.T @ Y)
    return float(cross / norms) if norms > 0 else 0.0


def layer_vectors(run: LoadedRun, sentences: Sequence[str], state: str) -> list[np.ndarray]:
    """One (n, H) array per layer, bottom first, of the encoder's final `state` (h or c)."""
    if state not in STATES:
        raise UserError(f"CKA compares one state at a time: h or c, not {state!r}")
    return [encode(run, sentences, state=state, layers=i) for i in range(run.model_config.layers)]


def cross_layer_cka(layers_a: Sequence[np.ndarray], layers_b: Sequence[np.ndarray]) -> np.ndarray:
    """Per-layer vectors of two runs (lists of (n, H_a) and (n, H_b), from layer_vectors of the
    same sentences) -> (L_a, L_b) CKA of every layer of one with every layer of the other."""
    return np.array([[linear_cka(a, b) for b in layers_b] for a in layers_a])


def layers_match(matrix: np.ndarray) -> bool:
    """Kornblith et al.'s sanity check for two seeds of one configuration: each layer of one run
    is most like the same layer of the other. matrix (L, L) from cross_layer_cka."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise UserError(f"layer matching needs a square (L, L) CKA matrix, not shape {matrix.shape}")
    return bool((matrix.argmax(1) == np.arange(len(matrix))).all())


def gram(X) -> np.ndarray:
    """(n, d) -> (n, n) linear kernel of the column-centred vectors (itself double-centred)."""
    X = np.asarray(X, dtype=np.float64)
    X = X - X.mean(0)
    return X @ X.T


def double_centre(K: np.ndarray) -> np.ndarray:
    """(n, n) -> H K H, H the centring matrix: what a resample's kernel is centred with."""
    return K - K.mean(0, keepdims=True) - K.mean(1, keepdims=True) + K.mean()


def cka_matrix(grams: Sequence[np.ndarray]) -> np.ndarray:
    """R double-centred (n, n) kernels of the same n sentences -> (R, R) linear CKA of every pair:
    <K, L>_F / (||K||_F ||L||_F) (Kornblith et al. 2019, eq. 5 in its kernel form)."""
    flat = np.stack([np.asarray(K, dtype=np.float64).ravel() for K in grams])
    norms = np.linalg.norm(flat, axis=1)
    norms[norms == 0] = np.inf  # a set with no variance is alike nothing
    unit = flat / norms[:, None]
    return np.clip(unit @ unit.T, 0.0, 1.0)


def unbiased_hsic(K: np.ndarray, L: np.ndarray) -> float:
    """The unbiased HSIC estimator (Song et al. 2012) of two (n, n) linear kernels, n >= 4."""
    n = len(K)
    if n < 4:
        raise UserError(f"debiased CKA needs at least 4 sentences, not {n}")
    K, L = K.copy(), L.copy()
    np.fill_diagonal(K, 0.0)
    np.fill_diagonal(L, 0.0)
    ones_K, ones_L = K.sum(0), L.sum(0)
    term = (K * L).sum() + ones_K.sum() * ones_L.sum() / ((n - 1) * (n - 2)) - 2 * (ones_K @ ones_L) / (n - 2)
    return float(term / (n * (n - 3)))


def debiased_cka_matrix(grams: Sequence[np.ndarray]) -> np.ndarray:
    """R (n, n) linear kernels -> (R, R) debiased linear CKA (unbiased HSIC in numerator and
    denominator; Nguyen et al. 2021, Kornblith et al.'s code): near 0 for unrelated sets of
    vectors, where the plain estimate is biased upward at small n and large d (about 0.34 for
    isotropic noise, n = 500, d = 256). It can fall slightly below 0."""
    R = len(grams)
    hsic = np.empty((R, R))
    for i in range(R):
        for j in range(i, R):
            hsic[i, j] = hsic[j, i] = unbiased_hsic(grams[i], grams[j])
    scale = np.sqrt(np.clip(np.diag(hsic), 1e-300, None))
    return hsic / np.outer(scale, scale)


def debiased_linear_cka(X, Y) -> float:
    """(n, d1), (n, d2) -> debiased linear CKA (see debiased_cka_matrix)."""
    X, Y = _pair(X, Y)
    return float(debiased_cka_matrix([gram(X), gram(Y)])[0, 1])
