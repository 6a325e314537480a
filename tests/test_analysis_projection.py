"""Projectors: the scikit-learn contract, shared axes, Procrustes, faithfulness; trajectories."""

import numpy as np
import pytest

from core.analysis.projection import (
    PCAProjector,
    TSNEProjector,
    UMAPProjector,
    explained_in_axes,
    knn_preservation,
    make_projector,
    procrustes_align,
    project,
    project_sets,
)
from core.errors import UserError


def planar(n=200, d=64, seed=0):
    """n points on a 2-D plane inside d dimensions (PCA to 2 loses nothing), with 4 clusters."""
    rng = np.random.default_rng(seed)
    plane = rng.normal(size=(2, d))
    centres = np.array([[0, 0], [8, 0], [0, 8], [8, 8]])
    xy = centres[np.arange(n) % 4] + rng.normal(size=(n, 2))
    return (xy @ plane).astype(np.float32)


def test_pca_follows_the_estimator_contract():
    X = planar()
    projector = PCAProjector(n_components=2, random_state=0)
    assert not hasattr(projector, "pca_")  # __init__ only stores parameters
    assert projector.fit(X) is projector
    ratios = projector.explained_variance_ratio_
    assert ratios[0] >= ratios[1] and ratios.sum() == pytest.approx(1.0, abs=1e-4)
    np.testing.assert_allclose(projector.transform(X), projector.fit_transform(X), atol=1e-4)
    with pytest.raises(UserError, match="not fitted"):
        PCAProjector().transform(X)
    with pytest.raises(UserError, match="dimension 3"):
        projector.transform(X[:, :3])


def test_a_fixed_basis_places_other_sets_in_the_same_axes():
    X = planar()
    basis, other = X[:150], X[150:]
    fitted = make_projector("pca", 2, seed=0).fit(basis)
    placed = project(other, "pca", seed=0, basis=basis)
    np.testing.assert_allclose(placed.coords, fitted.transform(other), atol=1e-4)
    # transforming later sets never moves the basis
    before = fitted.transform(basis)
    fitted.transform(np.random.default_rng(1).normal(size=(20, 64)))
    np.testing.assert_allclose(fitted.transform(basis), before)
    first, second = project_sets([basis, other], "pca", align="basis")
    np.testing.assert_allclose(second.coords, placed.coords, atol=1e-4)
    # each set's own share of its variance along the shared axes (not the fitted set's ratios)
    assert first.explained_variance == pytest.approx(explained_in_axes(basis, first.coords), abs=1e-5)
    assert second.explained_variance == pytest.approx(explained_in_axes(other, second.coords))
    assert placed.explained_variance == second.explained_variance


def test_projection_reports_faithfulness_and_explained_variance():
    X = planar()
    p = project(X, "pca", seed=0)
    assert p.coords.shape == (200, 2) and p.method == "pca"
    assert p.faithfulness > 0.95  # the data is planar: the map keeps the neighbourhoods
    assert len(p.explained_variance) == 2
    assert project(X, "pca", n_components=3).coords.shape == (200, 3)
    noise = np.random.default_rng(0).normal(size=(200, 64))
    assert project(noise, "pca").faithfulness < 0.3  # a 2-D picture of noise lies, and says so


def test_a_handful_of_points_is_not_faithful_by_default():
    """Six points (Figure 2's set): k shrinks to 2, so the score still says something."""
    assert project(planar()[:6], "pca").k == 2 and project(planar(), "pca").k == 10
    noise = np.random.default_rng(1).normal(size=(6, 64))
    random_maps = [knn_preservation(noise, np.random.default_rng(s).normal(size=(6, 2))) for s in range(20)]
    assert np.mean(random_maps) < 0.9  # with k = 5 (all the others) every map would score 100%


def test_knn_preservation_on_known_maps():
    X = np.random.default_rng(0).normal(size=(300, 10))
    assert knn_preservation(X, X) == 1.0
    assert knn_preservation(X, X * 3 + 1) == 1.0  # similarity transforms keep neighbours
    shuffled = X[np.random.default_rng(1).permutation(300)]
    assert knn_preservation(X, shuffled) < 0.15
    assert knn_preservation(X, X, sample=50) == 1.0  # estimated on a sample of points


def test_procrustes_recovers_a_rotated_scaled_shifted_map():
    source = np.random.default_rng(0).normal(size=(30, 2))
    angle = 0.7
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    target = 2.5 * source @ rotation + np.array([4.0, -1.0])
    mapped, disparity = procrustes_align(source, target)
    np.testing.assert_allclose(mapped, target, atol=1e-9)
    assert disparity == pytest.approx(0.0, abs=1e-12)
    _, noisy = procrustes_align(np.random.default_rng(1).normal(size=(30, 2)), target)
    assert 0.5 < noisy <= 1.0
    first, second = project_sets(
        [planar(seed=0), planar(seed=0) @ np.eye(64)[::-1]], "pca", align="procrustes"
    )
    np.testing.assert_allclose(second.coords, first.coords, atol=1e-3)
    with pytest.raises(UserError, match="shapes"):
        procrustes_align(source, target[:5])


@pytest.mark.slow  # UMAP compiles with numba first: tens of seconds
def test_umap_is_seeded_and_transforms_new_points():
    X = planar(n=200, d=80)
    a = UMAPProjector(random_state=3).fit(X)
    assert a.pre_ is not None and a.pre_.n_components_ == 50  # d > 50: PCA to 50 first
    b = UMAPProjector(random_state=3).fit(X)
    np.testing.assert_array_equal(a.embedding_, b.embedding_)
    assert a.transform(X[:10]).shape == (10, 2)
    p = project(X, "umap", seed=3)
    np.testing.assert_array_equal(p.coords, a.embedding_)
    assert p.explained_variance is None and p.faithfulness > 0.3


def test_tsne_maps_but_cannot_place_new_points():
    X = planar(n=60, d=8)
    projector = TSNEProjector(random_state=0)
    assert projector.fit_transform(X).shape == (60, 2)
    with pytest.raises(UserError, match="t-SNE cannot place new points"):
        projector.transform(X)
    with pytest.raises(UserError, match="t-SNE cannot place new points"):
        project(X, "tsne", basis=X)


def test_bad_projections_are_user_errors():
    with pytest.raises(UserError, match="cannot project 1 points onto 2 components"):
        project(np.ones((1, 5)), "pca")
    with pytest.raises(UserError, match="cannot project 2 points onto 3 components"):
        project(np.random.default_rng(0).normal(size=(2, 5)), "pca", n_components=3)
    with pytest.raises(UserError, match="one of pca, umap, tsne"):
        make_projector("lda")
    with pytest.raises(UserError, match="2-D array"):
        project(np.ones(5), "pca")
    with pytest.raises(UserError, match="NaN"):
        project(np.full((4, 3), np.inf), "pca")
    with pytest.raises(UserError, match="UMAP needs at least 3 points"):
        project(np.random.default_rng(0).normal(size=(2, 5)), "umap")


def test_trajectories_of_two_runs_share_axes(tiny_grammar_run):
    from core.analysis.trajectories import trajectory_maps
    from core.run.loaded import load_run

    run = load_run(tiny_grammar_run, device="cpu")
    sentences = ["John admires Mary", "Mary admires John", "I gave her a card in the garden"]
    maps = trajectory_maps([run, run], sentences, method="pca", seed=0)
    assert len(maps) == 6 and [m.sentence for m in maps[:3]] == sentences
    first = maps[0]
    assert first.tokens == ["Mary", "admires", "John"]  # the order a reversed-source encoder reads
    assert first.coords.shape == (3, 2) and first.reverse_source is True
    assert first.alignment_disparity is None and maps[3].alignment_disparity == pytest.approx(0, abs=1e-6)
    for a, b in zip(maps[:3], maps[3:]):  # the same run aligned onto itself: the same picture
        np.testing.assert_allclose(a.coords, b.coords, atol=1e-3)
    assert maps[3].run == f"{maps[0].run} (2)"  # the same folder twice keeps two names
