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
