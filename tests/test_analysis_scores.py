"""Probe margins, geometry and neighbours: on constructed vectors whose answer is known, then on
the tiny grammar run."""

import numpy as np
import pytest

from core.analysis.bootstrap import bootstrap_interval
from core.analysis.geometry import cosine_matrix, linear_probe, retrieval_accuracy, silhouette
from core.analysis.neighbours import NeighbourIndex
from core.analysis.probe_scores import (
    compare_runs,
    margin_statistics,
    row_cosines,
    score_suite,
    suite_geometry,
)
from core.analysis.probe_settings import ProbeSettings
from core.analysis.suites import builtin_suites
from core.corpus.probe_suite import parse_suite
from core.errors import UserError
from core.run.loaded import load_run


def clusters(n_classes=10, per_class=4, d=32, spread=0.05, seed=0):
    """Points around n_classes random centres: (n, d) and their class labels."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_classes, d))
    labels = np.repeat(np.arange(n_classes), per_class)
    return centres[labels] + spread * rng.normal(size=(len(labels), d)), labels


def test_identical_positives_always_win():
    rng = np.random.default_rng(0)
    anchors, negatives = rng.normal(size=(50, 16)), rng.normal(size=(50, 16))
    pos, neg = row_cosines(anchors, anchors.copy()), row_cosines(anchors, negatives)
    np.testing.assert_allclose(pos, 1.0, atol=1e-9)
    stats = margin_statistics(pos, neg, seed=1)
    assert stats.margin > 0 and stats.margin_low > 0 and stats.win_rate == 1.0
    assert stats.margin_low <= stats.margin <= stats.margin_high


def test_random_vectors_give_an_interval_around_zero():
    rng = np.random.default_rng(0)
    anchors, positives, negatives = (rng.normal(size=(300, 16)) for _ in range(3))
    stats = margin_statistics(row_cosines(anchors, positives), row_cosines(anchors, negatives), seed=0)
    assert stats.margin_low < 0 < stats.margin_high
    assert 0.35 < stats.win_rate < 0.65


def test_bootstrap_is_seeded_and_needs_two_families():
    values = np.random.default_rng(3).normal(size=40)
    assert bootstrap_interval(values, 500, seed=7) == bootstrap_interval(values, 500, seed=7)
    assert bootstrap_interval(values, 500, seed=7) != bootstrap_interval(values, 500, seed=8)
    with pytest.raises(UserError, match="at least 2 families"):
        margin_statistics(np.array([0.9]), np.array([0.1]))


def test_geometry_on_clusters_and_on_noise():
    X, labels = clusters()
    assert silhouette(X, labels) > 0.8 and retrieval_accuracy(X, labels) == 1.0
    np.testing.assert_allclose(np.diag(cosine_matrix(X)), 1.0)
    noise = np.random.default_rng(1).normal(size=X.shape)
    assert silhouette(noise, labels) < 0.1 and retrieval_accuracy(noise, labels) < 0.5
    # singletons (e.g. role-swapped negatives) are distractors, not scored
    with_singletons = np.concatenate([X, np.random.default_rng(2).normal(size=(5, 32))])
    assert retrieval_accuracy(with_singletons, [*labels, *range(100, 105)]) == 1.0


def test_linear_probe_reports_selectivity_over_a_control_task():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 20))
    prop = (X[:, 0] > 0).astype(int)  # a property written along one axis
    report = linear_probe(X, prop, folds=5, seed=0)
    assert report.accuracy > 0.9 and report.control_accuracy < 0.7
    assert report.selectivity == pytest.approx(report.accuracy - report.control_accuracy)
    assert report.n == 200 and report.folds == 5 and report.chance >= 0.5
    assert linear_probe(X, prop, seed=0) == report  # seeded
    grouped = linear_probe(X, prop, folds=4, seed=0, groups=np.arange(200) // 2)
    assert grouped.accuracy > 0.9


def test_geometry_errors_are_user_errors():
    X, labels = clusters(n_classes=2, per_class=3)
    with pytest.raises(UserError, match="single class"):
        silhouette(X, [0] * len(X))
    with pytest.raises(UserError, match="labels for"):
        retrieval_accuracy(X, labels[:-1])
    with pytest.raises(UserError, match="5-fold cross-validation needs 5"):
        linear_probe(X, labels, folds=5)
    with pytest.raises(UserError, match="NaN"):
        silhouette(np.full((6, 2), np.nan), labels)


def test_neighbours_from_vectors_exclude_the_query_and_sort_by_cosine():
    X, _ = clusters(n_classes=3, per_class=3, seed=4)
    names = [f"s{i}" for i in range(len(X))]
    index = NeighbourIndex.from_vectors(names, X)
    (hits,) = index.query_vectors(X[:1], k=2, exclude=["s0"])
    assert [s for s, _ in hits] and {s for s, _ in hits} == {"s1", "s2"}
    assert hits[0][1] >= hits[1][1] and all(-1 <= c <= 1 + 1e-6 for _, c in hits)
    with pytest.raises(UserError, match="query_vectors"):
        index.query(["s0"])


@pytest.fixture(scope="module")
def run(tiny_grammar_run):
    return load_run(tiny_grammar_run, device="cpu")


def test_score_suite_on_a_trained_run(run):
    table = builtin_suites()["voice"]
    result = score_suite(run, table, ProbeSettings(n_boot=200, seed=0))
    assert (result.suite, result.anchor, result.positive, result.negative) == (
        "voice",
        "active",
        "passive",
        "swapped",
    )
    assert result.n == 200 and len(result.per_family) == 200
    assert result.margin == pytest.approx(result.cos_positive - result.cos_negative)
    assert result.margin_low <= result.margin <= result.margin_high and 0 <= result.win_rate <= 1
    d = result.to_dict()
    assert d["per_family"][0]["anchor"] == table.rows[0][0] and set(d["per_family"][0]) == {
        "family", "anchor", "positive", "negative", "cos_positive", "cos_negative", "margin"}  # fmt: skip
    top = score_suite(run, table, ProbeSettings(state="h", layers="top", n_boot=200))
    assert (top.state, top.layers) == ("h", "top") and top.cos_positive != result.cos_positive
    # 200 families, but drawn from 11 verbs and 8 names: the interval resamples those, and says so
    assert d["resampling"]["clusters"] == {"verb": 11, "people": 8} and d["note"].startswith("few clusters")
    small = score_suite(run, builtin_suites()["figure2_right"], ProbeSettings(n_boot=200)).to_dict()
    assert small["n"] == 2 and small["note"].startswith("only 2 families")


def test_compare_and_geometry_on_a_trained_run(run):
    table = builtin_suites()["figure2_left"]
    report = compare_runs([run, run], table, ProbeSettings(n_boot=100))
    name = f"{run.path.parent.name}/{run.name}"
    assert list(report.runs) == [name, f"{name} (2)"] and report.difference.difference == 0.0
    assert report.difference.difference_low == report.difference.difference_high == 0.0
    geometry = suite_geometry(run, builtin_suites()["bshift"], probe_columns=("original", "shifted"))
    assert -1 <= geometry.silhouette <= 1 and 0 <= geometry.retrieval_accuracy <= 1
    assert geometry.probe_columns == ("original", "shifted") and geometry.probe.n == 400


def test_unknown_words_in_a_suite_are_named(run):
    table = parse_suite("family\ta\tb\tc\n1\tJohn admires Zorglub\tMary admires John\tJohn admires Mary\n"
                        "2\tPaul helps Anna\tAnna helps Paul\tPaul sees Anna\n", "odd")  # fmt: skip
    with pytest.raises(UserError, match="Zorglub"):
        score_suite(run, table)


def test_neighbour_index_over_a_run(run):
    corpus = [*builtin_suites()["voice"].column("active")[:30], "John admires Mary", "John admires Mary"]
    index = NeighbourIndex(run, corpus, state="h", layers="top")
    assert len(index) == 31  # duplicates indexed once
    found = index.query(["John admires Mary", "Mary is admired by John"], k=3)
    assert [len(hits) for hits in found] == [3, 3]
    assert "John admires Mary" not in [s for s, _ in found[0]]
    assert found[0][0][1] >= found[0][-1][1]
