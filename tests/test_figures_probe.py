"""core/render/probe_margins.py: margins beside baselines, split by tag; no Streamlit."""

import ast

import pytest

from core.render import probe_margins
from tests.helpers import ROOT


def stats(margin, width=0.01):
    return {"margin": margin, "margin_low": margin - width, "margin_high": margin + width, "win_rate": 0.5}


SPLIT = {
    "tag": "verb",
    "groups": [
        {"value": "admire", "n": 12, "model": stats(0.05),
         "baselines": {"bag_of_words": stats(-0.3), "bag_of_bigrams": stats(0.0, 0), "untrained": stats(-0.01)}},
        {"value": "see", "n": 3, "note": "only 3 families", "model": stats(-0.02),
         "baselines": {"bag_of_words": stats(-0.4), "bag_of_bigrams": stats(0.0, 0), "untrained": stats(0.02)}},
    ],
}  # fmt: skip


def report(margin, lead, beats):
    return {**stats(margin), "n": 200, "baselines": SPLIT["groups"][0]["baselines"],
            "lead": {"over": "bag_of_bigrams", "margin": lead, "margin_low": lead - 0.01, "margin_high": lead + 0.01},
            "beats_baselines": beats}  # fmt: skip


def test_never_imports_streamlit():
    tree = ast.parse((ROOT / "core" / "render" / "probe_margins.py").read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(name.startswith("streamlit") for name in names)


def test_margins_by_tag_draws_the_model_over_each_baseline_with_intervals():
    fig = probe_margins.margins_by_tag(SPLIT, suite="voice", run="rev")
    names = [t.name for t in fig.data]
    assert names == ["bag of words", "bag of bigrams", "untrained model (step 0)", "trained model"]
    model = fig.data[-1]
    assert list(model.x) == ["admire (12)", "see (3)"] and list(model.y) == [0.05, -0.02]
    assert list(model.error_y.array) == pytest.approx([0.01, 0.01])
    assert list(model.error_y.arrayminus) == pytest.approx([0.01, 0.01])
    assert list(fig.data[0].y) == [-0.3, -0.4]
    assert "only 3 families" in model.customdata[1][3]
    title = fig.layout.title.text
    assert "verb" in title and "voice" in title and "rev" in title and "not over trainings" in title


def test_margins_with_baselines_one_position_per_suite():
    fig = probe_margins.margins_with_baselines(
        {"voice": report(0.02, 0.02, True), "tense": report(-0.1, -0.1, False)}
    )
    model = fig.data[-1]
    assert list(model.x) == ["voice", "tense"] and list(model.y) == [0.02, -0.1]
    assert "beats every baseline" in model.customdata[0][3] and "does not beat" in model.customdata[1][3]
    assert len(fig.data) == 4 and fig.layout.yaxis.title.text == probe_margins.MARGIN_AXIS
