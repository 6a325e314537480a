"""Maps of thought vectors: PCA, UMAP and t-SNE behind the scikit-learn estimator contract.

`__init__` only stores parameters, `fit(X)` returns self, fitted attributes end in `_`, and
`random_state` is explicit, so a map is reproducible. Fit on one set and `transform` others
into the same axes (a fixed basis); align maps of two models with `procrustes_align`. Every
`Projection` carries its faithfulness, the share of k-nearest neighbours (k = 10, fewer for a handful
of points) that survive from the
full space into the map, because a 2-D picture can lie.

X is always (n, d) with n vectors of dimension d; coordinates are (n, n_components).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.analysis.geometry import faithfulness_k, knn_preservation
from core.errors import UserError

METHODS = ("pca", "umap", "tsne")
# UMAP and t-SNE of d > 50 first reduce to 50 dims with PCA (common practice: faster, less noise)
PRE_PCA_DIMS = 50


def _as_matrix(X, n_components: int) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise UserError(f"vectors must be a 2-D array (n, d), not shape {X.shape}")
    if len(X) < n_components:
        raise UserError(
            f"cannot project {len(X)} points onto {n_components} components: give at least {n_components}"
        )
    if not np.isfinite(X).all():
        raise UserError("the vectors contain NaN or infinite values")
    return X


class _Projector:
    n_components: int
    random_state: int

    def fit_transform(self, X) -> np.ndarray:
        return self.fit(X).transform(X)

    def _new_points(self, X) -> np.ndarray:
        """Check that the projector is fitted and X (m, d) has the fitted dimension."""
        if not hasattr(self, "n_features_in_"):
            raise UserError(f"{type(self).__name__} is not fitted yet: call fit first")
        X = _as_matrix(X, 1)
        if X.shape[1] != self.n_features_in_:
            raise UserError(
                f"vectors of dimension {X.shape[1]} cannot go into axes fitted on {self.n_features_in_}"
            )
        return X


class PCAProjector(_Projector):
    def __init__(self, n_components: int = 2, random_state: int = 0):
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, X) -> PCAProjector:
        from sklearn.decomposition import PCA

        X = _as_matrix(X, self.n_components)
        if X.shape[1] < self.n_components:
            raise UserError(
                f"vectors of dimension {X.shape[1]} have fewer than {self.n_components} components"
            )
        self.pca_ = PCA(self.n_components, random_state=self.random_state)
        self.pca_.fit(X)
        self.explained_variance_ratio_ = self.pca_.explained_variance_ratio_
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X) -> np.ndarray:
        X = self._new_points(X)
        return self.pca_.transform(X)


def _pre_reduce(X: np.ndarray, random_state: int):
    """A PCA to PRE_PCA_DIMS when d is larger (None otherwise)."""
    if X.shape[1] <= PRE_PCA_DIMS or len(X) <= PRE_PCA_DIMS:
        return None
    from sklearn.decomposition import PCA

    return PCA(PRE_PCA_DIMS, random_state=random_state).fit(X)


class UMAPProjector(_Projector):
    def __init__(
        self,
        n_components: int = 2,
        random_state: int = 0,
        n_neighbors: int = 15,  # umap-learn's default: local structure, fine for 100..50k points
        min_dist: float = 0.1,  # umap-learn's default
        metric: str = "euclidean",  # after the PCA; the same metric as the faithfulness score
    ):
        self.n_components = n_components
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.min_dist = min_dist
        self.metric = metric

    def fit(self, X) -> UMAPProjector:
        import umap

        X = _as_matrix(X, self.n_components)
        if len(X) < 3:
            raise UserError(f"UMAP needs at least 3 points to find neighbours, not {len(X)}: use PCA")
        self.pre_ = _pre_reduce(X, self.random_state)
        Z = X if self.pre_ is None else self.pre_.transform(X)
        self.umap_ = umap.UMAP(
            n_components=self.n_components,
            n_neighbors=max(2, min(self.n_neighbors, len(X) - 1)),
            min_dist=self.min_dist,
            metric=self.metric,
            random_state=self.random_state,  # also makes umap single-threaded: the same seed, the same map
            init="spectral" if len(X) > self.n_components + 1 else "random",  # spectral needs n > k + 1
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "n_jobs overridden to 1 by setting random_state" and kin
            self.embedding_ = self.umap_.fit_transform(Z)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X) -> np.ndarray:
        X = self._new_points(X)
        Z = X if self.pre_ is None else self.pre_.transform(X)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.umap_.transform(Z)

    def fit_transform(self, X) -> np.ndarray:
        return self.fit(X).embedding_  # the fitted layout itself, not a re-placement of its points


class TSNEProjector(_Projector):
    def __init__(self, n_components: int = 2, random_state: int = 0, perplexity: float = 30.0):
        self.n_components = n_components
        self.random_state = random_state
        self.perplexity = perplexity  # sklearn's default; lowered for small sets (it must stay below n)

    def fit(self, X) -> TSNEProjector:
        from sklearn.manifold import TSNE

        X = _as_matrix(X, max(self.n_components, 2))
        if self.n_components > 3:
            raise UserError("t-SNE draws 2 or 3 components")
        pre = _pre_reduce(X, self.random_state)
        Z = X if pre is None else pre.transform(X)
        perplexity = min(self.perplexity, max(1.0, (len(X) - 1) / 3))
        tsne = TSNE(self.n_components, perplexity=perplexity, init="pca", random_state=self.random_state)
        self.embedding_ = tsne.fit_transform(Z)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X) -> np.ndarray:
        raise UserError("t-SNE cannot place new points in a fitted map: use PCA or UMAP for shared axes")

    def fit_transform(self, X) -> np.ndarray:
        return self.fit(X).embedding_


def make_projector(method: str, n_components: int = 2, seed: int = 0) -> _Projector:
    classes = {"pca": PCAProjector, "umap": UMAPProjector, "tsne": TSNEProjector}
    if method not in classes:
        raise UserError(f"projection method must be one of {', '.join(METHODS)}, not {method!r}")
    if n_components < 1:
        raise UserError(f"a map needs at least 1 component, not {n_components}")
    return classes[method](n_components=n_components, random_state=seed)


@dataclass(frozen=True, eq=False)
class Projection:
    coords: np.ndarray  # (n, n_components)
    method: str
    explained_variance: tuple[float, ...] | None  # PCA only: the share of variance of each axis
    faithfulness: float  # share of k-nearest neighbours kept from the full space to the map
    k: int  # the neighbourhood size of `faithfulness` (10, or fewer for a handful of points)


def explained_in_axes(X: np.ndarray, coords: np.ndarray) -> tuple[float, ...]:
    """The share of X's (n, d) total variance along each axis of coords (n, k), X's linear (PCA)
    map: in axes fitted on other vectors, X's own explained variance, not the fitted set's."""
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(coords, dtype=np.float64)
    total = float(X.var(axis=0, ddof=1).sum()) if len(X) > 1 else 0.0
    if total <= 0.0:
        return tuple(0.0 for _ in range(Y.shape[1]))
    return tuple(float(v) / total for v in Y.var(axis=0, ddof=1))


def _projection(
    X: np.ndarray, coords: np.ndarray, method: str, projector, seed: int, fitted_on_x: bool = True
) -> Projection:
    ratios = getattr(projector, "explained_variance_ratio_", None)
    if ratios is not None and not fitted_on_x:
        ratios = explained_in_axes(X, coords)
    return Projection(
        np.asarray(coords, dtype=np.float32),
        method,
        None if ratios is None else tuple(float(r) for r in ratios),
        knn_preservation(X, coords, seed=seed),
        faithfulness_k(len(X)),
    )


def project(X, method: str = "pca", n_components: int = 2, seed: int = 0, basis=None) -> Projection:
    """X (n, d) -> Projection; with `basis` (m, d), fit on it and place X in its axes."""
    X = _as_matrix(X, 1 if basis is not None else n_components)
    projector = make_projector(method, n_components, seed)
    coords = projector.fit(basis).transform(X) if basis is not None else projector.fit_transform(X)
    return _projection(X, coords, method, projector, seed, fitted_on_x=basis is None)


def project_sets(
    sets: Sequence[np.ndarray],
    method: str = "pca",
    n_components: int = 2,
    seed: int = 0,
    align: str = "basis",
) -> list[Projection]:
    """Several sets (e.g. two checkpoints' vectors of the same sentences) in shared axes.

    align="basis": fit on the first set, transform the others (same dimension needed).
    align="procrustes": project each set on its own, then rotate/scale/shift each map onto the
    first (the sets must hold the same sentences in the same order; any dimensions).
    """
    if not sets:
        raise UserError("no vector sets to project")
    if align == "basis":
        first = _as_matrix(sets[0], n_components)
        projector = make_projector(method, n_components, seed)
        coords = [projector.fit_transform(first)] + [projector.transform(s) for s in sets[1:]]
        return [
            _projection(_as_matrix(s, 1), c, method, projector, seed, fitted_on_x=i == 0)
            for i, (s, c) in enumerate(zip(sets, coords))
        ]
    if align == "procrustes":
        out = [project(s, method, n_components, seed) for s in sets]
        for i in range(1, len(out)):
            coords, _ = procrustes_align(out[i].coords, out[0].coords)
            out[i] = Projection(
                coords.astype(np.float32), method, out[i].explained_variance, out[i].faithfulness, out[i].k
            )
        return out
    raise UserError(f"align must be basis or procrustes, not {align!r}")


@dataclass(frozen=True, eq=False)
class SimilarityTransform:
    """points (n, m) -> scale * (points - source_mean) @ rotation + target_mean."""

    scale: float
    rotation: np.ndarray  # (m, m) orthogonal (a reflection allowed: a map's handedness is arbitrary)
    source_mean: np.ndarray  # (m,)
    target_mean: np.ndarray  # (m,)

    def __call__(self, points) -> np.ndarray:
        return (
            self.scale * (np.asarray(points, dtype=np.float64) - self.source_mean) @ self.rotation
            + self.target_mean
        )


def procrustes_fit(source, target) -> tuple[SimilarityTransform, float]:
    """The rotation/reflection, uniform scale and shift taking `source` (n, m) closest to
    `target` (n, m) in least squares, and the disparity (see procrustes_align)."""
    from scipy.linalg import orthogonal_procrustes

    A, B = np.asarray(source, dtype=np.float64), np.asarray(target, dtype=np.float64)
    if A.shape != B.shape or A.ndim != 2:
        raise UserError(
            f"Procrustes aligns two maps of the same points: shapes {A.shape} and {B.shape} differ"
        )
    if len(A) < 2:
        raise UserError("Procrustes alignment needs at least 2 points")
    A0, B0 = A - A.mean(0), B - B.mean(0)
    norm_a, norm_b = (A0**2).sum(), (B0**2).sum()
    if norm_a == 0 or norm_b == 0:
        raise UserError("cannot align a map whose points all coincide")
    R, singular_sum = orthogonal_procrustes(A0, B0)
    transform = SimilarityTransform(float(singular_sum / norm_a), R, A.mean(0), B.mean(0))
    disparity = float(((transform(A) - B) ** 2).sum() / norm_b)
    return transform, disparity


def procrustes_align(source, target) -> tuple[np.ndarray, float]:
    """Map `source` (n, m) onto `target` (n, m) by rotation/reflection, uniform scale and shift.

    Returns (the mapped source (n, m), disparity): the residual sum of squares over that of the
    centred target, 0 for a perfect fit, at most 1.
    """
    transform, disparity = procrustes_fit(source, target)
    return transform(source), disparity
