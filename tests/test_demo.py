"""The demo files shipped in demo/ (core.run.demo): as recorded, loadable, read-only."""

import subprocess
import sys

import pytest

from core.corpus.grammar.parse import english_to_french
from core.run.demo import DEMO_PAIR, DEMO_ROOT, MANIFEST, Manifest, demo_runs_dir, demo_studies_dir, record
from core.run.folder import STATE, WEIGHTS
from core.run.loaded import load_run
from core.study.layout import REPORT_HTML
from core.translate import translate_best
from explorer.offered_runs import demo_runs, offered_runs
from explorer.study import studies

SHIPPED = Manifest.read(DEMO_ROOT)
pytestmark = pytest.mark.skipif(not SHIPPED.files, reason="no demo files shipped (demo/MANIFEST.json)")


def test_every_shipped_file_matches_its_recorded_checksum():
    assert SHIPPED.mismatches(DEMO_ROOT) == []


def test_the_manifest_check_sees_a_changed_a_missing_and_an_unrecorded_file(tmp_path):
    (tmp_path / "runs" / "a").mkdir(parents=True)
    (tmp_path / "runs" / "a" / "x.json").write_text("{}")
    (tmp_path / "runs" / "a" / "y.json").write_text("[]")
    manifest = record("runs", {"how": "test"}, tmp_path)
    assert manifest.mismatches(tmp_path) == [] and (tmp_path / MANIFEST).is_file()
    (tmp_path / "runs" / "a" / "x.json").write_text('{"changed": 1}')
    (tmp_path / "runs" / "a" / "y.json").unlink()
    (tmp_path / "runs" / "a" / "z.json").write_text("new")
    assert manifest.mismatches(tmp_path) == [
        "runs/a/y.json: missing",
        "runs/a/z.json: not in MANIFEST.json",
        "runs/a/x.json: checksum differs",
    ]


def test_the_demo_pair_is_shipped_without_optimizer_state():
    for name in DEMO_PAIR:
        run = demo_runs_dir(DEMO_ROOT) / name
        assert (run / WEIGHTS).is_file() and not (run / STATE).exists()


def test_the_demo_pair_loads_and_translates_figure2s_sentence():
    for name in DEMO_PAIR:
        run = load_run(demo_runs_dir(DEMO_ROOT) / name, device="cpu")
        assert run.model_config.reverse_source == name.endswith("reversed")
        (french,) = translate_best(run, ["John admires Mary"])
        assert french == english_to_french("John admires Mary")  # the grammar's own: John admire Mary


def test_demo_runs_come_after_the_users_own_and_are_marked(tmp_path, tiny_grammar_run):
    import shutil

    shutil.copytree(tiny_grammar_run, tmp_path / "mine")
    offered = offered_runs(tmp_path)
    assert [r.name for r in offered] == ["mine", *DEMO_PAIR]
    assert [r.demo for r in offered] == [False, True, True]
    assert [r.name for r in offered_runs(tmp_path, demo=False)] == ["mine"]
    assert [r.name for r in demo_runs()] == list(DEMO_PAIR)


def test_resuming_a_demo_run_is_refused_before_anything_is_written():
    run = demo_runs_dir(DEMO_ROOT) / DEMO_PAIR[0]
    before = sorted(p.name for p in run.iterdir())
    done = subprocess.run(
        [sys.executable, "-m", "core", "train", "--out", str(run), "--resume", "--steps", "5000"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "read-only" in done.stderr
    assert sorted(p.name for p in run.iterdir()) == before


def test_the_demo_study_report_loads_and_renders():
    found = studies.list_studies(demo_studies_dir(DEMO_ROOT))
    assert found and all(s.demo and s.has_report for s in found)
    for info in found:
        report = studies.read_report(info.path)
        assert report.summary
        assert studies.figures(report)
        assert b"<html" in studies.report_html(info.path)[:2000].lower()
        assert not any(p.is_dir() for p in info.path.iterdir()), "no runs, no weights"
        assert (info.path / REPORT_HTML).stat().st_size > 0
