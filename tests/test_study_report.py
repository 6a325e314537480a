"""The study report: every section from synthetic runs, and report.html opens with no network."""

import json
import math
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from core.errors import UserError
from core.render.report_html import render_html
from core.render.study import figures
from core.study.measure import MEASURE_VERSION
from core.study.report import assemble
from core.study.report_file import Report
from tests.helpers.study import ARMS, SECTIONS, TEST_PPL, fake_collected, fake_run, finite_numbers


def test_assemble_writes_every_section_with_finite_numbers():
    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    written = report.to_dict()
    json.dumps(written, allow_nan=False)  # strict JSON
    for section in SECTIONS:
        assert written[section], section
    assert all(math.isfinite(n) for n in finite_numbers(written))
    ppl = report.scores.metric("test", "ppl")
    assert ppl.vs_forward["attention"].wins == 3 and ppl.arms["forward"].low is not None
    assert ppl.per_seed["attention"] == TEST_PPL["attention"]  # the per-seed evidence is kept
    assert report.steps_to_bleu.arms["forward"].reached == 3
    assert report.probes.over_training["voice"]["forward"].steps == (100, 200, 300)
    assert report.probes.resampling["voice"].unit == "verb x people"
    assert report.position_loss.vs_forward["reversed"].band.mean[0] == pytest.approx(-0.1, abs=0.01)
    assert report.provenance.config_hash and report.provenance.data_fingerprint == "abcd1234"
    assert report.provenance.tokenizer_files
    # what the arms shared, read from their start records
    alike = {(a.seed, a.arm): a for a in report.alike.arms}
    assert alike[0, "reversed"].alike and alike[0, "attention"].extra == ("attention.w",)
    # sacrebleu's paired bootstrap, seed by seed, every arm against forward
    assert {(r.seed, r.arm) for r in report.paired_bleu} == {(s, a) for s in range(3) for a in ARMS[1:]}
    assert all(0 < r.p <= 1 and "bs:1000" in r.signature for r in report.paired_bleu)


def test_report_json_reads_back_as_it_was_written(tmp_path):
    """report.json's format is the dataclasses' to_dict: read back, a report writes the same JSON,
    and a report of an older version is refused with the command that writes it again."""
    for arms, seeds in ((ARMS, 3), (("forward", "reversed"), 1), (("forward", "attention"), 2)):
        spec, collected = fake_collected(arms, seeds)
        written = assemble("demo", spec, collected).to_dict()
        assert Report.from_dict(written).to_dict() == written
        assert json.dumps(Report.from_dict(json.loads(json.dumps(written))).to_dict()) == json.dumps(written)
    report = assemble("demo", *fake_collected())
    report.write(tmp_path)
    assert Report.read(tmp_path) == report
    (tmp_path / "report.json").write_text(json.dumps({**report.to_dict(), "version": 1}))
    with pytest.raises(UserError, match=f"report version 1; .*s2s study --out {tmp_path}`$"):
        Report.read(tmp_path)
    (tmp_path / "report.json").write_text('{"version": 2, "study"')
    with pytest.raises(UserError, match="cannot be read"):
        Report.read(tmp_path)


def test_only_adjusted_tests_make_claims_and_inconclusive_ones_say_how_many_seeds():
    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    primary = {row.test.key: row for row in report.primary}
    assert set(primary) == {f"{c}:{a}-forward" for c in spec.primary for a in ("reversed", "attention")}
    ppl, bleu = primary["test.ppl:attention-forward"], primary["test.bleu:reversed-forward"]
    assert ppl.test.holds and ppl.test.adjusted < 0.05 and ppl.test.method == "Holm"
    assert (
        bleu.test.p < 0.05 < bleu.test.adjusted and not bleu.test.holds
    )  # raw p alone would have claimed it
    assert bleu.verdict.startswith("inconclusive: about") and bleu.seeds_needed > 3
    summary = " ".join(report.summary)
    assert "reversal + attention lowered test perplexity" in summary
    assert (
        "reversal raised test BLEU" not in summary
        and "reversal vs forward, test BLEU: inconclusive" in summary
    )
    exploratory = [t for t in report.tests if t.family == "exploratory"]
    assert exploratory and all(t.method == "Benjamini-Hochberg" and t.adjusted >= t.p for t in exploratory)
    for line in report.summary:  # every claim of a difference rests on a test that holds
        if " lowered " in line or " raised " in line:
            assert "adjusted" in line


def test_every_figure_states_its_provenance():
    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    drawn = figures(report)
    assert len(drawn) == 11
    line = "seeds 0,1,2 · config "
    for caption, fig in drawn:
        assert isinstance(fig, go.Figure) and fig.data, caption
        notes = " ".join(a.text for a in fig.layout.annotations)
        assert line in notes and "abcd1234" in notes and "nrefs:1|bleu-sig" in notes, caption


def test_one_seed_report_says_there_is_no_interval():
    spec, collected = fake_collected(("forward", "reversed"), seeds=1)
    report = assemble("demo", spec, collected)
    assert "one seed" in " ".join(report.notes)
    assert any("no claim" in line for line in report.summary)
    assert report.cka.arms == ()  # no pair of seeds: no cross-seed CKA
    render_html(report)


REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_report_html_is_self_contained():
    spec, collected = fake_collected()
    page = render_html(assemble("demo", spec, collected))
    start = page.index("<script>/**\n* plotly.js v")  # plotly.js inlined once, with the first figure
    end = page.index("</script>", start)
    outside = page[:start] + page[end:]
    assert page.count("plotly.js v") == 1
    assert not REMOTE.search(outside), "a remote src/href outside the inlined plotly.js"
    assert "http://" not in outside and "https://" not in outside
    # plotly's own preamble tells plotly.js to leave MathJax alone ('local': fetch nothing)
    assert "mathjax" not in outside.lower().replace("typesetmath", "").replace("{mathjaxconfig: 'local'}", "")
    assert '"typesetMath": false' in outside
    assert outside.count("Plotly.newPlot(") == 11
    assert "Notation: x [a, b]" in page


def test_bleu_threshold_takes_what_its_message_says():
    from core.study.report import ReportConfig

    assert ReportConfig(bleu_threshold=100).bleu_threshold == 100 and ReportConfig(bleu_threshold=0.5)
    for bad in (0, -1, 100.5, math.nan, math.inf):
        with pytest.raises(UserError, match="above 0 and at most 100"):
            ReportConfig(bleu_threshold=bad)


def test_a_runs_measures_are_cached_by_version(tmp_path, monkeypatch):
    """measures/NAME.json holds RunMeasure.to_dict(): read back while the weights, the settings and
    MEASURE_VERSION are the same; a cache of another version is measured again."""
    from types import SimpleNamespace

    from core.run.folder import WEIGHTS
    from core.study import report as report_module
    from core.study.measure import MeasureConfig

    record = fake_run(np.random.default_rng(0), "reversed", 1)
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / WEIGHTS).write_bytes(b"weights")
    run = SimpleNamespace(path=tmp_path / "run", step=300)
    measured = []
    monkeypatch.setattr(report_module, "measure_run", lambda *args: measured.append(args) or record.measure)

    def cached():
        return report_module._measure_cached(tmp_path, "reversed-s1", run, None, MeasureConfig(suites=()), [])

    first = cached()
    assert first == record.measure and len(measured) == 1
    stored = json.loads((tmp_path / "measures" / "reversed-s1.json").read_text())
    assert stored["result"] == record.measure.to_dict() and stored["result"]["version"] == MEASURE_VERSION
    assert cached() == first and len(measured) == 1  # read back, not measured again
    stored["result"]["version"] = MEASURE_VERSION - 1
    (tmp_path / "measures" / "reversed-s1.json").write_text(json.dumps(stored))
    assert cached() == first and len(measured) == 2  # another version: measured again
