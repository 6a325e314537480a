"""Linear CKA and mean-centring of thought vectors."""

import numpy as np
import pytest

from core.analysis.centring import centre, reference_mean, reference_sentences
from core.analysis.cka import cross_layer_cka, layer_vectors, layers_match, linear_cka
from core.errors import UserError


def naive_cka(X, Y) -> float:
    """Kornblith et al. 2019 eq. 3-4 by the book: HSIC of the n x n Gram matrices."""
    n = len(X)
    H = np.eye(n) - np.ones((n, n)) / n

    def hsic(K, L):
        return np.trace(K @ H @ L @ H) / (n - 1) ** 2

    K, L = X @ X.T, Y @ Y.T
    return hsic(K, L) / np.sqrt(hsic(K, K) * hsic(L, L))


@pytest.fixture
def vectors():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 12)), rng.normal(size=(40, 7))


def test_cka_of_a_matrix_with_itself_is_one(vectors):
    X, _ = vectors
    assert linear_cka(X, X) == pytest.approx(1.0)


def test_cka_equals_the_naive_hsic_formula(vectors):
    X, Y = vectors
    Z = X[:, :5] @ np.random.default_rng(1).normal(size=(5, 7)) + 0.3 * Y  # related, other dimension
    for A, B in ((X, Y), (X, Z), (Y, Z)):
        assert linear_cka(A, B) == pytest.approx(naive_cka(A, B), rel=1e-9)


def test_cka_is_invariant_to_rotation_and_isotropic_scaling(vectors):
    X, Y = vectors
    Q, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(12, 12)))
    assert linear_cka(3.5 * X @ Q + 2.0, Y) == pytest.approx(linear_cka(X, Y), rel=1e-9)


def test_cka_is_not_invariant_to_any_linear_map(vectors):
    X, Y = vectors
    stretch = np.diag(np.linspace(0.1, 10, 12))
    assert linear_cka(X @ stretch, Y) != pytest.approx(linear_cka(X, Y), rel=1e-3)


def test_cka_refuses_unpaired_sets():
    with pytest.raises(UserError, match="same sentences"):
        linear_cka(np.ones((4, 2)), np.ones((5, 2)))
    assert linear_cka(np.ones((4, 2)), np.random.default_rng(0).normal(size=(4, 3))) == 0.0


def test_layers_match_reads_the_diagonal():
    assert layers_match(np.array([[0.9, 0.2], [0.3, 0.8]]))
    assert not layers_match(np.array([[0.2, 0.9], [0.3, 0.8]]))


def test_reference_sentences_are_a_fixed_sample():
    sources = [f"sentence {i}" for i in range(50)] + ["", "sentence 3"]
    first = reference_sentences(sources, size=10)
    assert first == reference_sentences(list(reversed(sources)), size=10)
    assert len(set(first)) == 10 and "" not in first
    assert sorted(reference_sentences(sources, size=100)) == sorted(set(sources) - {""})


def test_centre_subtracts_the_mean():
    X = np.arange(6.0).reshape(3, 2)
    assert np.allclose(centre(X, X.mean(0)).mean(0), 0.0)
    with pytest.raises(UserError, match="centre"):
        centre(X, np.zeros(3))


@pytest.mark.slow
def test_centred_and_layerwise_on_a_tiny_run(tiny_grammar_run):
    from core.run.loaded import load_run
    from core.vectors import encode

    run = load_run(tiny_grammar_run, "cpu")
    mean = reference_mean(run)
    assert mean.shape == (2 * run.model_config.layers * run.model_config.hidden,)
    assert np.array_equal(mean, reference_mean(run))  # seeded: the same run, the same mean
    sentences = ["John admires Mary", "Mary admires John", "the cat sees a dog"]
    centred = centre(encode(run, sentences), mean)
    assert centred.shape == (3, mean.shape[0])
    layers = layer_vectors(run, ["John admires Mary", "Mary admires John", "He knows Sophie"], "h")
    matrix = cross_layer_cka(layers, layers)
    assert matrix.shape == (2, 2) and np.allclose(np.diag(matrix), 1.0) and layers_match(matrix)
