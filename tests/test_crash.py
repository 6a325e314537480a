"""Crash consistency and one writer per run (issue "Reliability and security").

- SIGKILL at 20 random moments (checkpoints every 2 steps, so several land inside a checkpoint
  write): after each kill the run folder loads and --resume continues; the end state is
  bit-identical to an uninterrupted run with the same seed, and no record is lost or doubled.
- A checkpoint interrupted between its two writes is finished or dropped, never half-used.
- A full disk while saving keeps the previous checkpoint and says so, and where.
- A second trainer on a locked run is refused; a stale "running" is stopped, and nothing is
  signalled on the strength of a PID alone.
"""

import errno
import json
import random
import signal
import subprocess
import time

import pytest
import torch
from safetensors.torch import load_file

from core.cli import main
from core.errors import UserError
from core.run.folder import CONFIG, NEXT_STATE, STATE, STATUS, WEIGHTS, read_metrics
from core.run.listing import run_info
from core.run.loaded import load_run
from core.run.lock import IDENTITY, process_identity, trainer_lock, trainer_pid
from core.run.status import write_status
from core.training import checkpoint
from tests.helpers.cli import one_line_error, s2s

ARGS = ["--data", "grammar:600", "--preset", "tiny", "--steps", "600", "--checkpoint-every", "3",
        "--eval-every", "60", "--log-every", "3", "--no-probes", "--threads", "1", "--no-progress"]  # fmt: skip
KILLS = 20
pytestmark = pytest.mark.slow  # every test trains (the sigkill loop, or the module's small_run)


def weights(run):
    return load_file(run / WEIGHTS)


def status(run) -> dict:
    try:
        return json.loads((run / STATUS).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def wait_for(condition, timeout=180.0) -> None:
    deadline = time.time() + timeout
    while not condition() and time.time() < deadline:
        time.sleep(0.05)


@pytest.mark.slow
def test_twenty_random_sigkills_lose_nothing_and_change_no_weight(tmp_path):
    reference = tmp_path / "straight"
    assert main(["train", "--out", str(reference), *ARGS]) == 0
    run, rng, kills = tmp_path / "killed", random.Random(20), 0
    while kills < KILLS:
        resume = (run / CONFIG).exists()
        proc = s2s(
            "train", "--out", str(run), *(["--resume", "--no-progress", "--threads", "1"] if resume else ARGS)
        )
        if rng.random() < 0.25:
            time.sleep(rng.uniform(0.3, 3.0))  # while it starts: imports, data, tokenizers, the model
        else:  # while it trains: with a checkpoint every 3 steps, some kills land inside one
            before = status(run).get("step", -1)
            wait_for(lambda b=before, p=proc: status(run).get("step", -1) > b or p.poll() is not None)
            time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is not None:
            assert proc.returncode == 0, proc.communicate()[1]
            break  # it finished first: the kills so far are what was tested
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        kills += 1
        if (run / WEIGHTS).exists():
            assert load_run(run).model is not None  # the folder loads after every kill
        if (run / CONFIG).exists():
            assert run_info(run).state != "running"  # the lock died with the process
    assert kills == KILLS, f"the run finished after {kills} kills: make it longer"
    assert main(["train", "--out", str(run), "--resume", "--no-progress"]) == 0
    a, b = weights(reference), weights(run)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    for kind in ("train", "dev"):  # nothing lost, nothing doubled
        assert [r["step"] for r in read_metrics(run, kind)] == [
            r["step"] for r in read_metrics(reference, kind)
        ]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("crash") / "run"
    assert main(["train", "--out", str(out), *ARGS[:4], "--steps", "4", "--checkpoint-every", "2",
                 "--eval-every", "2", "--no-probes", "--no-progress"]) == 0  # fmt: skip
    return out


def copy(run, tmp_path):
    import shutil

    return shutil.copytree(run, tmp_path / "run")


def test_a_checkpoint_killed_before_its_weights_keeps_the_old_pair(small_run, tmp_path):
    run = copy(small_run, tmp_path)
    state = torch.load(run / STATE, weights_only=True)
    torch.save({**state, "step": state["step"] + 2}, run / NEXT_STATE)  # the new state, no new weights
    checkpoint.finish_checkpoint(run)
    assert not (run / NEXT_STATE).exists()
    assert torch.load(run / STATE, weights_only=True)["step"] == state["step"]


def test_a_checkpoint_killed_after_its_weights_is_finished_on_load(small_run, tmp_path):
    run = copy(small_run, tmp_path)
    (run / STATE).rename(run / NEXT_STATE)  # weights committed, state.pt not replaced yet
    torch.save({**torch.load(run / NEXT_STATE, weights_only=True), "step": -1}, run / STATE)  # the old one
    assert main(["train", "--out", str(run), "--resume", "--steps", "6", "--no-progress"]) == 0
    assert json.loads((run / STATUS).read_text())["step"] == 6


def test_a_full_disk_keeps_the_previous_checkpoint_and_says_where(small_run, tmp_path, monkeypatch):
    run = copy(small_run, tmp_path)
    before = weights(run)

    def full(tensors, path, metadata=None):
        with open(path, "wb") as f:
            f.write(b"\0" * 100)  # partway
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("core.run.weights.save_file", full)
    with pytest.raises(UserError, match=rf"the disk is full: could not write {run / WEIGHTS}"):
        main_raising(["train", "--out", str(run), "--resume", "--steps", "8", "--no-progress"])
    after = weights(run)
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert not list(run.glob(".*.tmp"))  # no partial file left
    monkeypatch.undo()  # space again: the run resumes from the checkpoint the full disk left intact
    assert main(["train", "--out", str(run), "--resume", "--no-progress"]) == 0
    assert status(run)["state"] == "finished" and status(run)["step"] == 8


def main_raising(argv):
    """core.cli's train handler without the CLI's error printing, to see the UserError itself."""
    from core.cli import build_parser

    args = build_parser().parse_args(argv)
    return args.handler(args)


def test_a_second_trainer_on_a_locked_run_is_refused_and_told_who(small_run, tmp_path, capsys):
    run = copy(small_run, tmp_path)
    write_status(run, "running", pid=4242)
    with trainer_lock(run):
        one_line_error(capsys, ["train", "--out", str(run), "--resume", "--steps", "6"],
                       "is being trained by another process (pid 4242)")  # fmt: skip
        assert run_info(run).state == "running"


def test_a_stale_running_status_reads_stopped_and_its_pid_is_never_signalled(small_run, tmp_path):
    run = copy(small_run, tmp_path)
    sleeper = subprocess.Popen(["sleep", "30"])  # an unrelated live process that reused the PID
    try:
        write_status(run, "running", pid=sleeper.pid, **{IDENTITY: "another-boot:1"})
        assert run_info(run).state == "stopped" and trainer_pid(run) is None  # no lock held
        with trainer_lock(run):  # even with the lock held, the PID is not that trainer's
            assert trainer_pid(run) is None
            write_status(run, "running", pid=sleeper.pid, **{IDENTITY: process_identity(sleeper.pid)})
            assert trainer_pid(run) == sleeper.pid
        assert main(["train", "--out", str(run), "--resume", "--steps", "6", "--no-progress"]) == 0
        assert sleeper.poll() is None  # nothing signalled it
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.parametrize("callers", ["as started", "their own"])
def test_training_in_process_leaves_the_callers_signal_handlers(small_run, tmp_path, callers):
    """s2s train's SIGTERM/SIGINT handlers live only while it trains: a caller in the same process
    (a test, a script) gets back the handlers it had, whatever they were: the ones this process
    started with (SIGINT ignored under `make test &` or nohup, Python's handler in a terminal) or
    its own."""
    signals = (signal.SIGTERM, signal.SIGINT)

    def own(signum, frame):  # a caller's handler, never called here
        raise AssertionError("not expected to be called")

    before = {sig: signal.getsignal(sig) for sig in signals}
    if callers == "their own":
        for sig in signals:
            signal.signal(sig, own)
    expected = {sig: signal.getsignal(sig) for sig in signals}
    try:
        run = copy(small_run, tmp_path)
        assert main(["train", "--out", str(run), "--resume", "--steps", "6", "--no-progress"]) == 0
        assert {sig: signal.getsignal(sig) for sig in signals} == expected
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
