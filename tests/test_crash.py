"""Crash consistency and one writer per run (issue "Reliability and security").

- SIGKILL at 20 moments, some aimed inside each of a checkpoint's three writes (the trainer
  records where it is: tests/helpers/crash_trainer.py), and where each kill landed is checked: after
  each kill the run folder loads and --resume continues; the end state is bit-identical to an
  uninterrupted run with the same seed, no record is lost or doubled, no temp file is left.
- A checkpoint interrupted between its two writes is finished or dropped, never half-used.
- A full disk (a real one: a tmpfs filled up) at each file a checkpoint and training write keeps
  the previous checkpoint and says so, and where; a torn metrics line is skipped and dropped.
- Two real trainers on one run: one trains, the other is refused and told the winner's pid; a
  stale "running" is stopped, and nothing is signalled on the strength of a PID alone.
"""

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from core import atomic
from core.cli import main
from core.errors import UserError
from core.run.folder import CONFIG, METRICS, NEXT_STATE, STATE, STATUS, WEIGHTS, read_metrics
from core.run.listing import run_info
from core.run.loaded import load_run
from core.run.lock import IDENTITY, process_identity, trainer_lock, trainer_pid
from core.run.status import write_status
from core.training import checkpoint
from tests.helpers import ROOT
from tests.helpers.cli import s2s
from tests.helpers.crash_trainer import CHECKPOINT_WRITES

ARGS = [
    "--data",
    "grammar:600",
    "--preset",
    "tiny",
    "--steps",
    "600",
    "--checkpoint-every",
    "3",
    "--eval-every",
    "60",
    "--log-every",
    "3",
    "--no-probes",
    "--threads",
    "1",
    "--no-progress",
]
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


def landing(log: Path) -> str:
    """Where a kill landed, from the last line the killed trainer recorded (tests/helpers/crash_trainer.py)."""
    lines = log.read_text().splitlines() if log.exists() else []
    if not lines:
        return "starting"
    verb, name = lines[-1].split(" ", 1)
    if verb == "begin":
        return f"inside {name}"
    return "training" if name not in (NEXT_STATE, WEIGHTS) else f"after {name}, before the next write"


def recorded_trainer(log: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crash_trainer", str(log), "train", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(log: Path, line: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    """Until the trainer records `line` anew (or ends): polled every 2 ms, well inside SLOW_S."""
    seen = log.read_text().count(line + "\n") if log.exists() else 0
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        if log.exists() and log.read_text().count(line + "\n") > seen:
            return
        time.sleep(0.002)


@pytest.mark.slow
def test_twenty_random_sigkills_lose_nothing_and_change_no_weight(tmp_path):
    """A fifth of the kills while the trainer starts, two fifths aimed at a checkpoint's three
    writes (each paused SLOW_S inside by tests/helpers/crash_trainer.py), the rest at random while it
    trains. Where each kill landed is recorded from the trainer's own log, and the test insists
    that kills landed inside each of the three writes."""
    reference = tmp_path / "straight"
    assert main(["train", "--out", str(reference), *ARGS]) == 0
    run, rng, landings = tmp_path / "killed", random.Random(20), []
    while len(landings) < KILLS:
        resume = (run / CONFIG).exists()
        log = tmp_path / f"kill{len(landings)}.log"
        proc = recorded_trainer(
            log, "--out", str(run), *(["--resume", "--no-progress", "--threads", "1"] if resume else ARGS)
        )
        draw = rng.random()
        if draw < 0.2:
            time.sleep(rng.uniform(0.3, 3.0))  # while it starts: imports, data, tokenizers, the model
        elif draw < 0.6:  # inside a checkpoint: the moment one of its writes begins
            wait_for_line(log, f"begin {rng.choice(CHECKPOINT_WRITES)}", proc)
        else:  # at random while it trains
            before = status(run).get("step", -1)
            wait_for(lambda b=before, p=proc: status(run).get("step", -1) > b or p.poll() is not None)
            time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is not None:
            assert proc.returncode == 0, proc.communicate()[1]
            break  # it finished first: the kills so far are what was tested
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        landings.append(landing(log))
        if (run / WEIGHTS).exists():
            assert load_run(run).model is not None  # the folder loads after every kill
        if (run / CONFIG).exists():
            assert run_info(run).state != "running"  # the lock died with the process
    counts = Counter(landings)
    print(f"where the {len(landings)} kills landed: {dict(counts)}")
    (tmp_path / "landings.json").write_text(json.dumps(landings))
    assert len(landings) == KILLS, f"the run finished after {len(landings)} kills: make it longer"
    assert all(counts[f"inside {name}"] >= 1 for name in CHECKPOINT_WRITES), counts
    assert sum(counts[f"inside {name}"] for name in CHECKPOINT_WRITES) >= KILLS // 4, counts
    assert main(["train", "--out", str(run), "--resume", "--no-progress"]) == 0
    a, b = weights(reference), weights(run)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    for kind in ("train", "dev"):  # nothing lost, nothing doubled
        assert [r["step"] for r in read_metrics(run, kind)] == [
            r["step"] for r in read_metrics(reference, kind)
        ]
    assert not list(run.glob(".*.tmp")), "the temp files of the writes killed inside are removed"


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("crash") / "run"
    assert (
        main(
            [
                "train",
                "--out",
                str(out),
                *ARGS[:4],
                "--steps",
                "4",
                "--checkpoint-every",
                "2",
                "--eval-every",
                "2",
                "--no-probes",
                "--no-progress",
            ]
        )
        == 0
    )
    return out


def copy(run, tmp_path):
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


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MiB tmpfs of its own, so that a test can fill it: the writes then meet the kernel's
    own ENOSPC, with each library's own way of reporting it. Mounting needs root (CI runs as root)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a real full disk needs a small tmpfs, and mounting one needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk`: whatever is written next meets ENOSPC."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (2**20, 2**12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as err:
                assert err.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


# every file a checkpoint and the training around it write, and the write that meets the full disk
FULL_DISK_WRITES = [
    (WEIGHTS, "the weights (safetensors)"),
    (NEXT_STATE, "the resume state, later renamed state.pt (torch.save)"),
    (STATUS, "status.json"),
    (METRICS, "metrics.jsonl, rewritten when a resume drops the records past its checkpoint"),
]


@pytest.mark.parametrize("target", [name for name, _ in FULL_DISK_WRITES])
def test_a_full_disk_at_any_file_keeps_the_previous_checkpoint_and_says_where(
    small_run, small_disk, target, monkeypatch
):
    """The disk fills up at the moment `target` is written (a real ENOSPC from the kernel): one
    line naming the file, the previous checkpoint intact, no temp file left, and once there is
    space again the run resumes to the same bits as a run that never met a full disk."""
    reference = Path(shutil.copytree(small_run, small_disk.parent / "reference"))
    assert main(["train", "--out", str(reference), "--resume", "--steps", "8", "--no-progress"]) == 0
    run = Path(shutil.copytree(small_run, small_disk / "run"))
    before = weights(run)
    original, filled = atomic.write_with, []

    def write_with(path, writer):
        if Path(path).name == target and not filled:
            filled.append(fill(small_disk))
        return original(path, writer)

    monkeypatch.setattr(atomic, "write_with", write_with)
    with pytest.raises(UserError, match=rf"^the disk is full: could not write {run / target} \(0 MB free"):
        main_raising(["train", "--out", str(run), "--resume", "--steps", "8", "--no-progress"])
    monkeypatch.undo()
    assert filled and torch.load(run / STATE, weights_only=True)["step"] == 4
    after = weights(run)
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert not list(run.glob(".*.tmp"))  # no partial file left
    filled[0].unlink()  # space again: the run resumes from the checkpoint the full disk left intact
    assert main(["train", "--out", str(run), "--resume", "--steps", "8", "--no-progress"]) == 0
    assert status(run)["state"] == "finished" and status(run)["step"] == 8
    a, b = weights(reference), weights(run)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert read_metrics(run) and [r["step"] for r in read_metrics(run, "train")] == [
        r["step"] for r in read_metrics(reference, "train")
    ]


def test_a_full_disk_while_appending_a_metric_tears_no_record(small_run, tmp_path, monkeypatch):
    """An append that the disk cuts short (half a line written, then ENOSPC; a full disk may also
    let a small append through, into the last page's slack, which is why this one is injected):
    one line saying so, the torn half skipped by every reader and dropped by the resume."""
    run = copy(small_run, tmp_path)

    class Torn:
        def __init__(self, f):
            self.f = f

        def write(self, text):
            self.f.write(text[: len(text) // 2])
            self.f.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    torn = lambda path, mode, **kw: Torn(open(path, mode, **kw))  # noqa: E731, SIM115 (closed by Torn)
    monkeypatch.setattr(atomic, "open", torn, raising=False)
    with pytest.raises(UserError, match=rf"the disk is full: could not write {run / METRICS}"):
        main_raising(["train", "--out", str(run), "--resume", "--steps", "8", "--no-progress"])
    monkeypatch.undo()
    assert not (run / METRICS).read_text().endswith("\n")  # the torn half of the dev record of step 6
    assert read_metrics(run) == read_metrics(small_run)  # readers skip it
    assert main(["train", "--out", str(run), "--resume", "--no-progress"]) == 0
    assert [r["step"] for r in read_metrics(run, "dev")] == [2, 4, 6, 8]
    assert all(json.loads(line) for line in (run / METRICS).read_text().splitlines())


def main_raising(argv):
    """core.cli's train handler without the CLI's error printing, to see the UserError itself."""
    from core.cli import build_parser

    args = build_parser().parse_args(argv)
    return args.handler(args)


def test_two_real_trainers_on_one_run_one_trains_and_the_other_is_told_who(small_run, tmp_path):
    """Two `s2s train --resume` processes on one run, started at the same moment, then one more
    while the winner trains: each loser exits 2 naming the winner's pid, and the winner trains on,
    undisturbed, to a clean stop."""
    run = copy(small_run, tmp_path)
    argv = ("train", "--out", str(run), "--resume", "--steps", "100000", "--no-progress", "--threads", "1")
    both = [s2s(*argv), s2s(*argv)]
    wait_for(lambda: any(p.poll() is not None for p in both))
    (loser,) = [p for p in both if p.poll() is not None]
    (winner,) = [p for p in both if p is not loser]
    err = loser.communicate()[1]
    assert loser.returncode == 2 and err.count("\n") == 1, err
    assert f"is being trained by another process (pid {winner.pid})" in err, err
    wait_for(lambda: status(run).get("step", 0) > 4)  # the winner trains
    late = s2s(*argv)
    err = late.communicate(timeout=120)[1]
    assert late.returncode == 2 and f"(pid {winner.pid})" in err, err
    assert winner.poll() is None and run_info(run).state == "running"
    winner.send_signal(signal.SIGTERM)
    assert winner.wait(60) == 0 and status(run)["state"] == "stopped"
    assert load_run(run).step == status(run)["step"]  # its checkpoint, written on the way out


def test_a_stale_running_status_reads_stopped_and_its_pid_is_never_signalled(small_run, tmp_path):
    run = copy(small_run, tmp_path)
    sleeper = subprocess.Popen(["sleep", "30"])  # an unrelated live process that reused the PID
    try:
        write_status(run, "running", pid=sleeper.pid, **{IDENTITY: "another-boot:1"})
        assert run_info(run).state == "stopped" and trainer_pid(run) is None  # no lock held
        with trainer_lock(run):  # even with the lock held, the PID is not that trainer's
            write_status(run, "running", pid=sleeper.pid, **{IDENTITY: "another-boot:1"})
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
