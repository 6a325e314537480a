"""The Study page: start a study in the background, follow its runs, read its report natively."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from core.analysis.suites import PROBE_SUITE_FLAG
from core.cli.study import suite_specs
from core.render.report_html import render_html
from core.study.layout import REPORT_HTML, REPORT_JSON, StudySpec, write_study
from core.study.report import assemble
from core.study.slurm_config import SlurmConfig
from core.study.slurm_launcher import JOBS, LAUNCHER, SLURM_DIR
from explorer import cache, state
from explorer.corpora.upload import saved_corpora
from explorer.jobs import suites_dir
from explorer.study import studies, suite_upload
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


SUITE = (
    "family\tactive\tpassive\tswapped\n"
    "1\tJohn admires Mary\tMary is admired by John\tMary admires John\n"
    "2\tMary sees Paul\tPaul is seen by Mary\tPaul sees Mary\n"
)


def test_an_uploaded_probe_suite_is_checked_saved_and_given_to_the_study(
    studies_root, runs_root, monkeypatch
):
    """The Study page's probe suites: an upload the suite parser reads is saved beside the corpora and
    passed as --probe-suite PATH to the `s2s study` it starts; a saved suite is offered again."""
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda cmd, **kw: started.append(cmd) or FakeProcess())
    at = open_page("study")
    at.text_input(key="study_name").set_value("suites")
    at.file_uploader(key="study_suite_files").set_value(
        [("mine.tsv", SUITE.encode(), "text/tab-separated-values")]
    )
    at.run()
    assert_clean(at)
    (saved,) = suite_upload.saved_suites()
    assert saved.parent == suites_dir() and saved.read_text(encoding="utf-8") == SUITE
    assert suite_specs([str(saved)]) == (str(saved),)  # what `s2s study` reads: a suite
    assert saved_corpora() == {}  # a corpus of the Data page it is not
    shown = at.code[0].value.split()
    assert shown[shown.index(PROBE_SUITE_FLAG) + 1] == str(saved)
    button(at, "Start the study").click().run()
    assert_clean(at)
    (cmd,) = started
    assert cmd[cmd.index(PROBE_SUITE_FLAG) + 1] == str(saved)
    assert cmd[cmd.index("study") :][:3] == ["study", "--out", str(studies_root / "suites")]
    again = open_page("study")
    assert again.multiselect(key="study_suites").options == [saved.name]  # offered, not chosen
    assert PROBE_SUITE_FLAG not in again.code[0].value
    again.multiselect(key="study_suites").set_value([str(saved)]).run()
    assert f"{PROBE_SUITE_FLAG} {saved}" in again.code[0].value


def test_a_malformed_probe_suite_is_an_error_and_starts_nothing(studies_root, runs_root, monkeypatch):
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda cmd, **kw: started.append(cmd) or FakeProcess())
    at = open_page("study")
    bad = ("bad.tsv", b"no header here\tx\n", "text/tab-separated-values")
    at.file_uploader(key="study_suite_files").set_value([bad]).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "bad.tsv" in errors and "must start with `family`" in errors
    assert not at.code and "Start the study" not in [b.label for b in at.button]  # nothing to launch
    assert started == [] and suite_upload.saved_suites() == [] and not studies_root.exists()


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
    (folder / REPORT_JSON).write_text(json.dumps(report.to_dict()))
    (folder / REPORT_HTML).write_text(render_html(report))
    at = open_page("study")
    assert_clean(at)
    assert at.selectbox(key="study_pick").value == "reversal"
    assert any("0/9 runs finished" in c.value for c in at.caption)
    texts = [t.value for t in at.text]
    assert texts and all(t.startswith("• ") for t in texts) and report.summary[0] in texts[0]
    charts = [c for c in at.get("plotly_chart") if c.key and c.key.startswith("study_fig_")]
    assert len(charts) == len(studies.figures(report))
    assert at.get("download_button")


def test_a_bad_study_name_is_a_message(studies_root, runs_root):
    at = open_page("study")
    at.text_input(key="study_name").set_value("../escape").run()
    button(at, "Start the study").click().run()
    assert any("not allowed" in e.value for e in at.error)


def fake_slurm_commands(tmp_path, monkeypatch) -> Path:
    """sbatch, sinfo, squeue (job 12_0 running), sacct (12_1 completed) and an scancel that notes
    what it was asked, first on PATH; returns the note."""
    bin_, note = tmp_path / "bin", tmp_path / "scancel.txt"
    bin_.mkdir()
    scripts = {
        "sbatch": "exit 1",
        "sinfo": "echo 'debug*'",
        "squeue": "echo '12_0|RUNNING'",
        "sacct": "echo '12_1|COMPLETED'",
        "scancel": f'echo "$@" >> {note}',
    }
    for name, body in scripts.items():
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_}:{os.environ['PATH']}")
    return note


def test_with_slurm_the_page_offers_the_launcher_shows_jobs_and_cancels(
    studies_root, runs_root, tmp_path, monkeypatch
):
    note = fake_slurm_commands(tmp_path, monkeypatch)
    at = open_page("study")
    at.radio(key="study_launcher").set_value("slurm").run()
    at.text_input(key="study_partition").set_value("debug").run()
    command = at.code[0].value
    assert (
        "--launcher slurm --partition debug --cpus-per-job 1 --time 4:00:00" in command
        and "--jobs" not in command
    )

    folder = studies_root / "onslurm"
    spec = StudySpec(data="grammar:3000", preset="tiny", arms=("forward", "reversed"), seeds=1)
    write_study(folder, spec)
    (folder / SLURM_DIR).mkdir()
    (folder / SLURM_DIR / LAUNCHER).write_text(json.dumps(SlurmConfig().to_dict()))
    (folder / SLURM_DIR / JOBS).write_text(json.dumps({"forward-s0": ["12_0"], "reversed-s0": ["12_1"]}))
    at = open_page("study")
    assert_clean(at)
    table = at.dataframe[0].value
    assert list(table["job"]) == ["12_0", "12_1"] and list(table["job state"]) == ["RUNNING", "COMPLETED"]
    button(at, "Cancel the jobs").click().run()
    assert_clean(at)
    assert note.read_text().split() == ["12_0"]  # the live job only
    assert any("1 jobs cancelled" in s.value for s in at.success)
