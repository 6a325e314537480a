import json
import os

import pytest

from core.errors import UserError
from core.run import folder as runs
from core.run.listing import list_runs
from core.run.lock import trainer_lock
from tests.helpers.runs import make_run


def test_list_runs_reads_status_and_last_dev_metrics(tmp_path):
    run = make_run(tmp_path, "rev")
    with open(run / runs.METRICS, "w") as f:
        f.write(json.dumps({"kind": "dev", "step": 5, "ppl": 9.0, "bleu": 10.0}) + "\n")
        f.write(json.dumps({"kind": "dev", "step": 10, "ppl": 3.0, "bleu": 40.0}) + "\n")
        f.write('{"kind": "train", "st')  # a torn line while the trainer writes
    (info,) = list_runs(tmp_path)
    assert (info.name, info.state, info.reverse_source, info.dev_ppl, info.dev_bleu) == (
        "rev",
        "finished",
        True,
        3.0,
        40.0,
    )


def test_running_run_with_dead_process_shows_stopped(tmp_path):
    make_run(tmp_path, "dead", state="running", pid=2**22 + 12345)
    alive = make_run(tmp_path, "alive", state="running", pid=os.getpid())
    with trainer_lock(alive):  # what a live trainer holds (core.run.lock)
        states = {r.name: r.state for r in list_runs(tmp_path)}
    assert states == {"dead": "stopped", "alive": "running"}


def test_missing_folder_lists_nothing(tmp_path):
    assert list_runs(tmp_path / "nope") == []


def test_resolve_run_explains_what_is_missing(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        runs.resolve_run(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="not a run folder"):
        runs.resolve_run(tmp_path / "empty")
    make_run(tmp_path, "young")
    with pytest.raises(UserError, match="no weights"):
        runs.resolve_run(tmp_path / "young")
