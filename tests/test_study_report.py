"""The study report: every section from synthetic runs, and report.html opens with no network."""

import json
import math
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from core.analysis.suites import builtin_suites
from core.study.compare import FIGURE2_SUITES
from core.study.html import figures, render_html
from core.study.layout import StudySpec
from core.study.measure import PROBE_SUITES
from core.study.report import Collected, assemble

SECTIONS = ("scores", "curves", "steps_to_bleu", "by_length", "position_loss", "probes", "cka", "figure2",
            "summary", "provenance", "initial_weights")  # fmt: skip
ARMS = ("forward", "reversed", "attention")


def fake_run(rng, arm: str, seed: int) -> dict:
    """One run's numbers as core.study.measure and core.study.curves give them."""
    better = {"forward": 0.0, "reversed": 1.0, "attention": 2.0}[arm]

    def split():
        return {"n": 100, "bleu": 20 + 5 * better + rng.normal(), "chrf": 40 + better, "ppl": 9 - better + 0.1 * rng.normal(),
                "loss": 2.0, "signature": {"bleu": "nrefs:1|bleu-sig", "chrf": "chrf-sig"},
                "by_length": [{"bucket": "1-7", "n": 60, "bleu": 25.0 + better}, {"bucket": "8-12", "n": 40, "bleu": 15.0}]}  # fmt: skip

    probes = {
        s: {
            **{k: {"margin": 0.1 * better + 0.01 * rng.normal(), "margin_low": 0.0, "margin_high": 0.2}
               for k in ("raw", "centred", "lead")},
            "over": "bag_of_words",
            "beats_baselines": arm != "forward",
        }
        for s in PROBE_SUITES
    }  # fmt: skip
    steps = (100, 200, 300)
    return {
        "measure": {
            "step": 300,
            "dev": split(),
            "test": split(),
            "probes": probes,
            "position_loss": {
                "positions": list(range(1, 11)),
                "loss": [3.0 - 0.1 * better * (p < 4) + 0.001 * rng.normal() for p in range(1, 11)],
                "count": [100] * 10,
            },
        },
        "curves": {
            "train_loss": {s: 5.0 - s / 100 for s in steps},
            "dev_ppl": {s: 20.0 - s / 30 for s in steps},
            "dev_bleu": {s: s / 10 + better + seed for s in steps},
            "dev_chrf": {s: s / 5 for s in steps},
        },
        "probe_curves": {"voice": {s: s / 1000 for s in steps}} if seed == 0 else {},
    }


def fake_collected(arms=ARMS, seeds=3) -> tuple[StudySpec, Collected]:
    rng = np.random.default_rng(0)
    runs = {(a, s): fake_run(rng, a, s) for s in range(seeds) for a in arms}
    base = rng.normal(size=(30, 8))
    vectors = {key: {st: [base @ rng.normal(size=(8, 8)) + 0.1 * rng.normal(size=(30, 8)) for _ in range(2)]
                     for st in ("h", "c")} for key in runs}  # fmt: skip
    tables = builtin_suites()
    figure2 = {
        a: {n: rng.normal(size=(len(tables[n].sentences()), 16)) for n in FIGURE2_SUITES} for a in arms
    }
    configs = {(a, s): {"model": {"src_vocab": 50, "tgt_vocab": 60, "emb_dim": 8, "hidden": 8, "layers": 2,
                                  "reverse_source": a != "forward", "attention": a == "attention"},
                        "train": {"seed": s, "steps": 300}, "data": {"fingerprint": "abcd1234"}, "preset": "tiny"}
               for a, s in runs}  # fmt: skip
    spec = StudySpec("grammar:3000", "tiny", arms, seeds, 300)
    return spec, Collected(runs, vectors, figure2, 0, configs, 30)


def finite_numbers(value) -> list:
    """Every number in a JSON value (None excluded)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [value]
    items = value.values() if isinstance(value, dict) else value
    return [n for item in items for n in finite_numbers(item)]


def test_assemble_writes_every_section_with_finite_numbers():
    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    json.dumps(report, allow_nan=False)  # strict JSON
    for section in SECTIONS:
        assert report[section], section
    assert all(math.isfinite(n) for n in finite_numbers(report))
    ppl = report["scores"]["test"]["ppl"]
    assert ppl["vs_forward"]["attention"]["wins"] == 3 and ppl["arms"]["forward"]["low"] is not None
    assert report["steps_to_bleu"]["arms"]["forward"]["reached"] == 3
    assert report["probes"]["over_training"]["voice"]["forward"]["steps"] == [100, 200, 300]
    assert report["position_loss"]["vs_forward"]["reversed"]["mean"][0] == pytest.approx(-0.1, abs=0.01)
    assert report["provenance"]["config_hash"] and report["provenance"]["data_fingerprint"] == "abcd1234"
    assert report["summary"][0].startswith("reversal lowered test perplexity in 3/3 seeds")
    assert any("it helps the first target words more" in line for line in report["summary"])
    # the attention layers are drawn last: every tensor the arm shares with forward starts the same
    assert any(re.match(r"attention: (\d+) of the \1 tensors", line) for line in report["initial_weights"])
    assert "reversed: the probe margin beats every surface baseline in voice 3/3" in " ".join(
        report["summary"]
    )


def test_every_figure_states_its_provenance():
    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    drawn = figures(report)
    assert len(drawn) == 11
    line = "seeds 0,1,2 · config "
    for caption, fig in drawn:
        notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
        assert line in notes and "abcd1234" in notes and "nrefs:1|bleu-sig" in notes, caption
        assert isinstance(fig["data"], list) and fig["data"], caption
        go.Figure(fig)  # valid plotly: every property known, every value in range (the app draws these)


def test_one_seed_report_says_there_is_no_interval():
    spec, collected = fake_collected(("forward", "reversed"), seeds=1)
    report = assemble("demo", spec, collected)
    assert "one seed" in " ".join(report["notes"])
    assert any("no claim" in line for line in report["summary"])
    assert report["cka"]["seed_baseline"][0]["n"] == 0
    render_html(report)


REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_report_html_is_self_contained():
    spec, collected = fake_collected()
    page = render_html(assemble("demo", spec, collected))
    start, end = page.index("<script>") + len("<script>"), page.index("</script>")
    assert "plotly.js v" in page[start : start + 200]  # plotly.js inlined, first script
    outside = page[:start] + page[end:]
    assert not REMOTE.search(outside), "a remote src/href outside the inlined plotly.js"
    assert "http://" not in outside and "https://" not in outside
    assert "mathjax" not in outside.lower().replace("typesetmath", "")
    assert '"typesetMath": false' in outside
    assert outside.count("Plotly.newPlot(") == 11


def test_bleu_threshold_takes_what_its_message_says():
    from core.errors import UserError
    from core.study.report import ReportConfig

    assert ReportConfig(bleu_threshold=100).bleu_threshold == 100 and ReportConfig(bleu_threshold=0.5)
    for bad in (0, -1, 100.5, math.nan, math.inf):
        with pytest.raises(UserError, match="above 0 and at most 100"):
            ReportConfig(bleu_threshold=bad)
