"""status.json has one typed, versioned reader and writer (core.run.status), as config.json has."""

import ast
import json
from pathlib import Path

import pytest

from core.errors import UserError
from core.run.folder import STATUS
from core.run.status import STATUS_VERSION, RunStatus, read_status, write_status

ROOT = Path(__file__).resolve().parents[1]
# status.json as the release before versioning wrote it (no "version"): it still loads
UNVERSIONED = {"state": "running", "step": 250, "total_steps": 4000, "message": "training", "pid": 4242,
               "pid_identity": "boot:123", "device": "cpu (2 threads)", "n_train": 45000, "world_size": 1,
               "updated": 1767225600.5}  # fmt: skip


def test_an_unversioned_status_loads_as_version_1(tmp_path):
    (tmp_path / STATUS).write_text(json.dumps(UNVERSIONED))
    status = read_status(tmp_path)
    assert (status.state, status.step, status.total_steps, status.pid, status.device) == (
        "running",
        250,
        4000,
        4242,
        "cpu (2 threads)",
    )
    assert status.plateau is False  # added in version 2: a run of before trained every step
    assert status.version == STATUS_VERSION == 2


def test_a_version_1_status_loads_with_plateau_false_and_plateau_round_trips(tmp_path):
    (tmp_path / STATUS).write_text(json.dumps({**UNVERSIONED, "state": "finished", "version": 1}))
    assert read_status(tmp_path).plateau is False
    written = write_status(tmp_path, "finished", message="dev BLEU stopped rising", plateau=True)
    assert read_status(tmp_path) == written and written.plateau is True
    assert json.loads((tmp_path / STATUS).read_text())["plateau"] is True


def test_a_missing_status_reads_as_stopped_at_step_0(tmp_path):
    assert read_status(tmp_path) == RunStatus() and RunStatus().state == "stopped"


def test_write_keeps_the_other_fields_and_stamps_the_time(tmp_path):
    write_status(tmp_path, "running", step=3, total_steps=10, pid=7)
    written = write_status(tmp_path, "finished", step=10, message="finished")
    assert (written.state, written.step, written.total_steps, written.pid) == ("finished", 10, 10, 7)
    assert written.updated > 0 and read_status(tmp_path) == written
    assert json.loads((tmp_path / STATUS).read_text())["version"] == STATUS_VERSION


@pytest.mark.parametrize(
    "content, match",
    [
        ({**UNVERSIONED, "version": STATUS_VERSION + 1}, "newer than this release reads"),
        ({**UNVERSIONED, "gpu": "a100", "eta": 5}, "unknown fields eta, gpu"),
        ({**UNVERSIONED, "state": "paused"}, "state must be one of running, finished, failed, stopped"),
        ([1, 2], "does not hold a JSON object"),
    ],
)
def test_a_damaged_or_newer_status_is_refused_naming_the_file(tmp_path, content, match):
    (tmp_path / STATUS).write_text(json.dumps(content))
    with pytest.raises(UserError, match=match) as refused:
        read_status(tmp_path)
    assert str(tmp_path / STATUS) in str(refused.value)


def test_writing_an_unknown_field_or_state_fails(tmp_path):
    with pytest.raises(TypeError):
        write_status(tmp_path, "running", eta=5)
    with pytest.raises(UserError, match="state must be one of"):
        write_status(tmp_path, "paused")


def test_status_json_is_read_and_written_in_core_run_status_only():
    """No other module reads status.json itself (read_json, open, json.load of STATUS)."""
    readers = []
    files = [*ROOT.glob("core/**/*.py"), *ROOT.glob("explorer/**/*.py"), *ROOT.glob("pages/*.py"),
             *ROOT.glob("benchmarks/*.py"), *ROOT.glob("scripts/*.py")]  # fmt: skip
    for path in files:
        if path == ROOT / "core" / "run" / "status.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                target = ast.unparse(node.args[0])
                name = ast.unparse(node.func)
                if ("STATUS" in target or "status.json" in target) and not name.endswith("is_file"):
                    readers.append(f"{path.relative_to(ROOT)}: {ast.unparse(node)}")
    assert readers == []
