"""Probe intervals follow the suite's design: clusters of families are drawn together, crossed
tags multiply, and duplicating families cannot buy a narrower interval."""

import numpy as np
import pytest

from core.analysis.baselines import BAG_OF_WORDS, bag_of_words
from core.analysis.bootstrap import Resampling
from core.analysis.probe_report import baseline_results
from core.analysis.probe_scores import row_cosines, score_vectors
from core.analysis.probe_settings import ProbeSettings
from core.analysis.suites import builtin_suites
from core.corpus.probe_suite import ProbeTable, parse_suite
from core.errors import UserError


def synthetic(n: int, k: int = 1, seed: int = 0) -> tuple[ProbeTable, list[np.ndarray]]:
    """n families of random vectors, each repeated k times and tagged with its original family."""
    rng = np.random.default_rng(seed)
    A, P, N = (np.repeat(rng.normal(size=(n, 8)), k, axis=0) for _ in range(3))
    families = tuple(str(i) for i in range(n * k))
    rows = tuple((f"a{i}", f"p{i}", f"n{i}") for i in range(n * k))
    tags = tuple((str(i // k),) for i in range(n * k))
    table = ProbeTable("dup", ("a", "p", "n"), families, rows, tag_names=("orig",), tags=tags)
    return table, [A, P, N]


def width(table: ProbeTable, vectors, cluster: str) -> float:
    result = score_vectors(table, ("a", "p", "n"), vectors, ProbeSettings(cluster=cluster, n_boot=4000))
    return result.margin_high - result.margin_low


def test_duplicated_families_leave_the_cluster_interval_as_it_was():
    original, vectors = synthetic(60)
    base = width(original, vectors, "family")
    for k in (4, 9):
        copies, dup_vectors = synthetic(60, k)
        # drawn by the original family: the very interval of the original suite
        assert width(copies, dup_vectors, "orig") == pytest.approx(base, rel=1e-9)
        # drawn family by family, the copies pass for independent evidence: about sqrt(k) narrower
        assert width(copies, dup_vectors, "family") == pytest.approx(base / np.sqrt(k), rel=0.15)


def test_crossed_clusters_count_a_family_by_the_product_of_its_draws():
    design = Resampling.clusters({"verb": ["see", "see", "help"], "people": ["A|B", "B|C", "A|C"]})
    assert design.sizes == (2, 3) and design.unit == "verb x people" and design.n_units == 2
    assert "verb (2) x people (3), crossed" in design.describe()
    w = design.weights(np.random.default_rng(5), 200)
    rng = np.random.default_rng(5)  # the same draws, counted by hand: each factor's values, then the product
    verbs = np.array([np.bincount(row, minlength=2) for row in rng.integers(0, 2, size=(200, 2))])
    people = np.array([np.bincount(row, minlength=3) for row in rng.integers(0, 3, size=(200, 3))])
    A, B, C = people.T
    expected = np.stack([verbs[:, 0] * A * B, verbs[:, 0] * B * C, verbs[:, 1] * A * C], axis=1)
    np.testing.assert_array_equal(w, expected)
    assert (w >= 0).all() and np.allclose(w, np.round(w))


def test_resampled_means_are_the_weighted_means_and_subsets_drop_constant_factors():
    design = Resampling.clusters({"verb": ["x", "x", "y", "y"], "tense": ["p", "q", "p", "q"]})
    values = np.array([1.0, 2.0, 3.0, 4.0])
    means = design.means(values, 500, seed=3)
    assert means.min() >= 1 and means.max() <= 4 and abs(means.mean() - values.mean()) < 0.3
    within = design.subset([0, 1])  # one verb: that factor is constant there
    assert within.factors == ("tense",) and within.sizes == (2,)
    assert design.subset([0]).factors == () and design.subset([0]).n == 1


def test_the_built_in_suites_default_to_their_design_and_say_so():
    voice = builtin_suites()["voice"]
    assert voice.default_cluster == ("verb", "people")
    result = score_vectors(voice, voice.roles(), [np.eye(200)[:, :50]] * 3, ProbeSettings(n_boot=50))
    d = result.to_dict()
    assert d["resampling"]["unit"] == "verb x people" and d["resampling"]["clusters"] == {
        "verb": 11,
        "people": 8,
    }
    # the baselines and every lead over them resample the same way
    baselines = baseline_results(None, voice, voice.roles(), ProbeSettings(n_boot=50))
    assert {b.design.unit for b in baselines.values()} == {"verb x people"}
    family = score_vectors(voice, voice.roles(), [np.eye(200)[:, :50]] * 3, ProbeSettings(cluster="family"))
    assert family.to_dict()["resampling"]["unit"] == "family"


@pytest.mark.parametrize(
    "cluster, match",
    [
        ("colour", "no tag 'colour'"),
        ("construction", "has one value"),  # every voice family is transitive: nothing to draw from
        (" , ", "--cluster names the tags"),
    ],
)
def test_a_cluster_the_suite_cannot_draw_is_refused(cluster, match):
    voice = builtin_suites()["voice"]
    with pytest.raises(UserError, match=match):
        ProbeSettings(cluster=cluster).resampling(voice)


def test_a_tag_with_one_family_per_cluster_is_refused():
    table = parse_suite(
        "family\ta\tb\tc\ttag:id\n1\tJohn sees Mary\tMary is seen by John\tMary sees John\tx\n"
        "2\tPaul helps Anna\tAnna is helped by Paul\tAnna helps Paul\ty\n",
        "ids",
    )
    with pytest.raises(UserError, match="holds one family"):
        ProbeSettings(cluster="id").resampling(table)


def test_centred_baselines_are_centred_on_the_same_reference_sentences():
    table = builtin_suites()["voice"]
    roles = table.roles()
    reference = ["Anna sees Paul", "John helps Mary", "Sophie thanks Peter"]
    settings = ProbeSettings(n_boot=50, cluster="family")
    raw = baseline_results(None, table, roles, settings)[BAG_OF_WORDS]
    centred = baseline_results(None, table, roles, settings, reference)[BAG_OF_WORDS]
    texts = [table.column(name) for name in roles]
    joint = bag_of_words([s for column in texts for s in column] + reference)
    n = len(table.rows)
    A, P, N = (joint[i * n : (i + 1) * n] - joint[3 * n :].mean(0) for i in range(3))
    expected = (row_cosines(A, P) - row_cosines(A, N)).mean()
    assert centred.margin == pytest.approx(expected) and centred.margin != pytest.approx(raw.margin)
