"""The Study page: start a study in the background, follow its runs, read its report natively."""

import json
import subprocess

import pytest

from core.render.report_html import render_html
from core.study.layout import REPORT_HTML, REPORT_JSON, write_study
from core.study.report import assemble
from explorer import cache, state, studies
from tests.helpers.app import assert_clean, button, open_page
from tests.helpers.study import fake_collected


@pytest.fixture
def studies_root(tmp_path, monkeypatch):
    root = tmp_path / "studies"
    monkeypatch.setenv(studies.STUDIES_DIR_ENV, str(root))
    return root


class FakeProcess:
    pid = 4242

    def poll(self):
        return None


def test_start_a_study_in_the_background(studies_root, runs_root, monkeypatch):
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda cmd, **kw: started.append((cmd, kw)) or FakeProcess())
    at = open_page("study")
    assert_clean(at)
    assert any("No studies yet" in i.value for i in at.info)
    at.text_input(key="study_name").set_value("rev")
    at.number_input(key="study_seeds").set_value(2).run()
    assert "s2s study --out" in at.code[0].value and "--seeds 2" in at.code[0].value
    button(at, "Start the study").click().run()
    assert_clean(at)
    ((cmd, kwargs),) = started
    assert cmd[cmd.index("study") :][:3] == ["study", "--out", str(studies_root / "rev")]
    assert "--arms" in cmd and cmd[cmd.index("--arms") + 1] == "forward,reversed"
    assert kwargs["start_new_session"]  # outlives the tab
    assert at.session_state[state.STUDY_OPEN] == "rev"


@pytest.mark.slow
def test_a_study_started_from_the_page_trains_its_runs_and_writes_its_report(studies_root, runs_root):
    """The real `s2s study` process the page starts: both arms trained, the report written, and
    the page following it (the test above checks the command line it would give)."""
    # a corpus large enough that the word tokenizer reads every probe sentence the report scores
    at = open_page("study", session={state.DATA_SPEC: "grammar:3000"})
    at.text_input(key="study_name").set_value("real")
    at.number_input(key="study_seeds").set_value(1)
    at.number_input(key="study_steps").set_value(20).run()
    button(at, "Start the study").click().run()
    assert_clean(at)
    folder = studies_root / "real"
    process = cache.training_processes().process(folder)
    assert process is not None and process.wait(900) == 0
    info = studies.study_info(folder)
    assert set(info.runs.values()) == {"finished"} and len(info.runs) == 2 and info.has_report
    at.run()
    assert_clean(at)
    assert at.selectbox(key="study_pick").value == "real"
    assert any("2/2 runs finished" in c.value for c in at.caption)


def test_a_finished_study_shows_its_summary_figures_and_the_download(studies_root, runs_root):
    spec, collected = fake_collected()
    folder = studies_root / "reversal"
    write_study(folder, spec)
    report = assemble("reversal", spec, collected)
    (folder / REPORT_JSON).write_text(json.dumps(report, default=float))
    (folder / REPORT_HTML).write_text(render_html(report))
    at = open_page("study")
    assert_clean(at)
    assert at.selectbox(key="study_pick").value == "reversal"
    assert any("0/9 runs finished" in c.value for c in at.caption)
    texts = [t.value for t in at.text]
    assert texts and all(t.startswith("• ") for t in texts) and report["summary"][0] in texts[0]
    charts = [c for c in at.get("plotly_chart") if c.key and c.key.startswith("study_fig_")]
    assert len(charts) == len(studies.figures(report))
    assert at.get("download_button")


def test_a_bad_study_name_is_a_message(studies_root, runs_root):
    at = open_page("study")
    at.text_input(key="study_name").set_value("../escape").run()
    button(at, "Start the study").click().run()
    assert any("not allowed" in e.value for e in at.error)
