"""Figure builders and the other Streamlit-free helpers of explorer/."""

import ast

import numpy as np
import plotly.graph_objects as go
import pytest

from core.analysis.suites import builtin_suites
from core.corpus.probe_suite import parse_suite
from core.errors import UserError
from core.render import (
    by_length,
    corpus,
    margin_dynamics,
    probe_margins,
    similarity,
    thought_map,
    training_curves,
    trajectory,
)
from core.run.probe_log import ProbeLog
from explorer import export
from explorer.thought_vectors import sentence_sets
from explorer.train import progress
from tests.helpers import ROOT

TRAIN = [{"kind": "train", "step": s, "loss": 5.0 / s, "time": 100.0 + s} for s in range(10, 60, 10)]
DEV = [
    {"kind": "dev", "step": 25, "ppl": 9.0, "bleu": 10.0},
    {"kind": "dev", "step": 50, "ppl": 4.0, "bleu": None},
]


@pytest.mark.parametrize(
    "module",
    [
        "core/render/training_curves",
        "core/render/margin_dynamics",
        "core/render/thought_map",
        "core/render/similarity",
        "core/render/trajectory",
        "explorer/train/progress",
        "explorer/thought_vectors/sentence_sets",
        "explorer/export",
    ],
)
def test_figure_builders_never_import_streamlit(module):
    tree = ast.parse((ROOT / f"{module}.py").read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(name.startswith("streamlit") for name in names)


def test_training_dashboard_has_three_curves_and_skips_missing_bleu():
    fig = training_curves.training_dashboard(TRAIN, DEV, total_steps=100)
    loss, ppl, bleu = fig.data
    assert list(loss.x) == [10, 20, 30, 40, 50] and list(ppl.y) == [9.0, 4.0] and list(bleu.x) == [25]
    assert fig.layout.yaxis2.type == "log" and list(fig.layout.xaxis.range) == [0, 100]


def test_metric_curves_one_line_per_run():
    fig = training_curves.metric_curves({"rev": TRAIN + DEV, "fwd": DEV}, "ppl")
    assert [t.name for t in fig.data] == ["rev", "fwd"] and list(fig.data[0].y) == [9.0, 4.0]
    assert training_curves.metric_curves({"rev": TRAIN}, "loss").data[0].mode == "lines"


def test_bleu_by_length_and_probe_margins():
    fig = by_length.by_length_figure(
        {"rev": [{"bucket": "1-5", "n": 3, "bleu": 40.0}, {"bucket": "6-10", "n": 2, "bleu": 30.0}]}
    )
    assert list(fig.data[0].x) == ["1-5", "6-10"] and list(fig.data[0].customdata) == [3, 2]
    rows = [{"run": r, "suite": s, "margin": 0.1, "margin_low": 0.05, "margin_high": 0.2, "win_rate": 0.8, "n": 10}
            for r in ("rev", "fwd") for s in ("voice", "tense")]  # fmt: skip
    fig = probe_margins.probe_margins(rows)
    assert [t.name for t in fig.data] == ["rev", "fwd"]
    assert list(fig.data[0].error_y.array) == pytest.approx([0.1, 0.1])
    assert list(fig.data[0].error_y.arrayminus) == pytest.approx([0.05, 0.05])


def test_length_histogram():
    fig = corpus.length_histogram([1, 2, 2], [3, 3, 4])
    assert [t.name for t in fig.data] == ["source", "target"] and fig.layout.barmode == "overlay"


def test_thought_map_two_models_share_axes_and_draw_links():
    sentences = ["a", "b", "c", "d"]
    panels = [{"title": "rev", "coords": np.array([[0, 0], [1, 1], [2, 0], [3, 3]])},
              {"title": "fwd", "coords": np.array([[10, 0], [11, 1], [12, 0], [13, 3]])}]  # fmt: skip
    links = [(0, 1, "paraphrase"), (0, 2, "swap")]
    fig = thought_map.thought_map(panels, sentences, ["g1", "g1", "g2", "g2"], links, show_text=True)
    assert fig.layout.xaxis.range == fig.layout.xaxis2.range  # shared axes
    assert fig.layout.xaxis.range[0] < 0 and fig.layout.xaxis.range[1] > 13
    names = [t.name for t in fig.data]
    assert names.count("anchor → paraphrase") == 2 and names.count("anchor → swap") == 2
    paraphrase = fig.data[0]
    assert list(paraphrase.x) == [0, 1, None] and paraphrase.line.dash == "solid"
    points = next(t for t in fig.data if t.name == "g1")
    assert list(points.hovertext) == ["a", "b"] and points.mode == "markers+text"
    assert sum(t.showlegend for t in fig.data) == 4  # one legend entry per group and line kind


def test_thought_map_3d():
    coords = np.random.default_rng(0).normal(size=(5, 3))
    fig = thought_map.thought_map([{"title": "m", "coords": coords}], list("abcde"), ["x"] * 5)
    assert isinstance(fig.data[0], go.Scatter3d) and fig.layout.scene.aspectmode == "cube"


def test_similarity_heatmaps_and_trajectories():
    m = np.array([[1.0, 0.5], [0.5, 1.0]])
    fig = similarity.similarity_heatmaps([("rev", m), ("fwd", m)], ["one", "two"])
    assert len(fig.data) == 2 and fig.data[0].zmin == -1 and fig.data[0].zmax == 1
    maps = [{"run": r, "sentence": "a b", "tokens": ["b", "a"], "coords": np.array([[0.0, 0.0], [1.0, 1.0]])}
            for r in ("rev", "fwd")]  # fmt: skip
    fig = trajectory.trajectory_map(maps)
    assert (
        len(fig.data) == 2
        and list(fig.data[0].text) == ["b", "a"]
        and list(fig.data[0].marker.size) == [6, 13]
    )


def test_progress_and_eta():
    done = progress.training_progress(50, 100, TRAIN)
    assert (
        done.fraction == 0.5 and done.steps_per_s == pytest.approx(1.0) and done.eta_s == pytest.approx(50.0)
    )
    assert progress.training_progress(0, 0, []).eta_s is None
    assert progress.format_duration(3725) == "1 h 02 min" and progress.format_duration(None) == "estimating…"


def test_sentence_sets_from_blocks_and_suites():
    typed = sentence_sets.from_blocks("a b\nc d\n\n\ne f\ng h\n")
    assert typed.groups == ("group 1", "group 1", "group 2", "group 2")
    assert typed.links == ((0, 1, "paraphrase"), (2, 3, "paraphrase"))
    left, right = sentence_sets.figure2_sets(builtin_suites())
    assert len(left.sentences) == len(right.sentences) == 6  # exactly the paper's phrases
    assert len(set(right.groups)) == 2 and right.groups[:3] == (right.groups[0],) * 3
    assert {kind for *_, kind in right.links} == {"paraphrase", "swap"}
    suite = "family\tactive\tpassive\tswapped\n1\tJohn admires Mary\tMary is admired by John\tMary admires John\n" \
            "2\tMary sees Paul\tPaul is seen by Mary\tPaul sees Mary\n"  # fmt: skip
    pasted = sentence_sets.from_blocks(suite)
    assert pasted.table == parse_suite(suite, "typed") and len(pasted.sentences) == 6
    with pytest.raises(UserError, match="type some sentences"):
        sentence_sets.from_blocks(" \n\n")


def test_html_export_works_offline():
    html = export.figure_html(go.Figure(go.Scatter(x=[1], y=[2]))).decode()
    assert '<script src="https://cdn' not in html and len(html) > 1_000_000  # plotly.js inlined


@pytest.mark.skipif(
    not export.png_available(), reason="Kaleido or Chromium missing (.ci/run installs Chromium)"
)
def test_png_export_renders_a_real_image():
    png = export.figure_png(go.Figure(go.Scatter(x=[1, 2], y=[2, 1])), width=400, height=300)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (400, 300)


PROBES = [
    {"kind": "probe", "step": 75, "suite": "voice", "n": 200, "margin": 0.01, "low": -0.01, "high": 0.03,
     "win_rate": 0.5},
    {"kind": "probe", "step": 75, "suite": "tense", "skipped": "words the vocabulary lacks"},
    {"kind": "probe", "step": 150, "suite": "voice", "n": 200, "margin": 0.05, "low": 0.02, "high": 0.08,
     "win_rate": 0.7},
    {"kind": "probe", "step": 150, "suite": "bshift", "n": 200, "margin": -0.02, "low": -0.04, "high": 0.0,
     "win_rate": 0.4},
]  # fmt: skip


def test_margin_dynamics_one_line_and_band_per_suite_with_zero_line():
    from core.analysis.bootstrap import INTERVAL_SCOPE

    assert ProbeLog.read(PROBES).skipped == {"tense": "words the vocabulary lacks"}
    fig = margin_dynamics.margin_dynamics(PROBES + TRAIN, total_steps=150)
    band, line = fig.data[0], fig.data[1]
    assert [t.name for t in fig.data if t.showlegend is not False] == ["voice", "bshift"]
    assert list(line.x) == [75, 150] and list(line.y) == [0.01, 0.05]
    assert band.fill == "toself" and list(band.y) == [0.03, 0.08, 0.02, -0.01]  # high, then low back
    assert any(s.y0 == 0 and s.y1 == 0 for s in fig.layout.shapes)  # the y=0 line
    assert INTERVAL_SCOPE in fig.layout.title.text and list(fig.layout.xaxis.range) == [0, 150]


def test_margin_dynamics_runs_overlays_runs_on_one_suite():

    runs = {"rev": PROBES, "fwd": PROBES[:1], "old": TRAIN + DEV}  # "old": no probe records
    assert margin_dynamics.suites_of(runs) == ["voice", "bshift"]
    fig = margin_dynamics.margin_dynamics_runs(runs, "voice")
    assert [t.name for t in fig.data if t.mode == "lines+markers"] == ["rev", "fwd"]
    assert not margin_dynamics.margin_dynamics_runs(runs, "tense").data  # skipped everywhere: empty


def test_attention_heatmap_shows_tokens_literally():
    from core.render.attention import attention_heatmap

    fig = attention_heatmap(["<b>x</b>", "&amp;"], ["y", "</s>"], [[0.5, 0.5], [1.0, 0.0]], "<i>t</i>")
    assert list(fig.data[0].x) == ["1. &lt;b&gt;x&lt;/b&gt;", "2. &amp;amp;"]
    assert fig.layout.title.text == "&lt;i&gt;t&lt;/i&gt;"


BASELINE_RECORDS = [
    {"kind": "probe", "step": 0, "suite": "voice", "baseline": "bag_of_words", "margin": -0.39, "low": -0.4,
     "high": -0.38},
    {"kind": "probe", "step": 0, "suite": "voice", "baseline": "bag_of_bigrams", "margin": 0.0, "low": 0.0,
     "high": 0.0},
]  # fmt: skip


def test_margin_dynamics_draw_the_surface_baselines_beside_every_curve():

    records = PROBES + BASELINE_RECORDS
    assert ProbeLog.read(records).baselines == {"voice": {"bag_of_words": -0.39, "bag_of_bigrams": 0.0}}
    assert [p["step"] for p in ProbeLog.read(records).curves["voice"]] == [
        75,
        150,
    ]  # not the model's
    for fig in (
        margin_dynamics.margin_dynamics(records),
        margin_dynamics.margin_dynamics_runs({"rev": records}, "voice"),
    ):
        dotted = [s for s in fig.layout.shapes if s.line.dash == "dot"]
        assert sorted(s.y0 for s in dotted) == [-0.39, 0.0]
        assert {a.text.split(": ")[-1] for a in fig.layout.annotations} >= {"bag of words", "bag of bigrams"}


def test_compare_csv_of_probe_dynamics_keeps_the_models_scored_records_of_the_suite():
    from explorer.compare.tables import probe_dynamics_frame

    runs = {"rev": list(reversed(PROBES)) + BASELINE_RECORDS + TRAIN, "old": TRAIN + DEV}
    frame = probe_dynamics_frame(runs, "voice")
    assert frame["run"].tolist() == ["rev", "rev"] and frame["step"].tolist() == [75, 150]  # in step order
    assert frame["margin"].tolist() == [0.01, 0.05]  # no baseline level, no skipped or train record
    assert probe_dynamics_frame(runs, "tense").empty  # skipped: nothing scored
