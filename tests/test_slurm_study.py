"""`s2s study --launcher slurm`: one SLURM job per run, as a submitit job array, on the one-node
cluster (scripts/slurm_cluster.sh). Bad input is one line before anything is written; a study
submitted twice submits nothing twice; jobs requeued mid-run by `scontrol requeue` (SIGTERM, as
preemption does) or by SLURM's warning signal (SIGUSR2: submitit's checkpoint and requeue), and a
job cancelled then resubmitted by a later `s2s study --out S`, end with the weights of the same
study run with --launcher local, bit for bit, and sacct shows every run's job COMPLETED."""

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from core.run.folder import WEIGHTS, read_json
from core.run.status import read_status
from core.study.slurm_config import SlurmConfig, time_minutes
from core.study.slurm_launcher import JOBS, SLURM_DIR
from tests.helpers import ROOT
from tests.helpers.cli import one_line_error
from tests.helpers.slurm import slurm  # noqa: F401 (a fixture)

# 300 steps: time to catch every run at step 10 even on an idle machine (a tiny step takes ms)
STUDY = ["--data", "grammar:3000", "--preset", "tiny", "--steps", "300", "--eval-every", "100"]
STUDY += ["--checkpoint-every", "100", "--seeds", "2", "--no-report"]
STOPPED = "stopped cleanly with a checkpoint"  # what s2s train says when a signal stops it
RUNS = ("forward-s0", "reversed-s0", "forward-s1", "reversed-s1")


def fake_slurm(tmp_path: Path, monkeypatch) -> None:
    """sbatch and a sinfo that knows one partition, `debug`, first on PATH."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for name, body in (("sbatch", "exit 1"), ("sinfo", "echo 'debug*'")):
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / name).chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bin_}:{os.environ['PATH']}")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--launcher", "slurm", "--jobs", "2"], "--jobs is for --launcher local"),
        (["--launcher", "slurm", "--partition", "nope"], "unknown partition 'nope': this cluster has debug"),
        (["--partition", "debug"], "--partition: for --launcher slurm only"),
        (["--no-wait"], "--no-wait: for --launcher slurm only"),
        (["--launcher", "slurm", "--time", "soon"], "is not a SLURM time"),
        (["--launcher", "slurm", "--mem", "lots"], "is not a SLURM size"),
        (["--launcher", "slurm", "--cpus-per-job", "0"], "--cpus-per-job must be at least 1"),
        (["--launcher", "slurm", "--slurm-extra", "account"], "give KEY=VALUE"),
    ],
)
def test_bad_slurm_input_is_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch, argv, message):
    fake_slurm(tmp_path, monkeypatch)
    out = tmp_path / "study"
    one_line_error(capsys, ["study", "--out", str(out), *STUDY, *argv], message)
    assert not out.exists()


def test_no_sbatch_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no SLURM command here
    one_line_error(
        capsys, ["study", "--out", str(tmp_path / "s"), *STUDY, "--launcher", "slurm"], "no sbatch on PATH"
    )
    assert not (tmp_path / "s").exists()


def test_slurm_settings_check_themselves_and_keep_in_json():
    config = SlurmConfig(
        partition="gpu",
        gpus_per_job=1,
        time="2-00:30",
        mem="16G",
        extra=SlurmConfig.parse_extra(["account=lab", "--qos=high"]),
    )
    assert SlurmConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    params = config.sbatch_parameters("s2s-x")
    assert params["time"] == 2 * 1440 + 30 and params["gpus_per_node"] == 1 and params["mem"] == "16G"
    assert params["additional_parameters"] == {"requeue": True, "account": "lab", "qos": "high"}
    assert [time_minutes(t) for t in ("90", "4:00:00", "1:30", "2-0")] == [90, 240, 2, 2880]


def s2s(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True, timeout=900
    )


def wait_for(condition, what: str, timeout: float = 300.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.2)


def step(study: Path, run: str) -> int:
    return read_status(study / "runs" / run).step


def job(study: Path, run: str) -> str:
    return read_json(study / SLURM_DIR / JOBS)[run][-1]


def state(job_id: str) -> str:
    out = subprocess.run(["squeue", "-h", "-r", "-o", "%i %T"], capture_output=True, text=True).stdout
    return dict(line.split() for line in out.splitlines()).get(job_id, "gone")


def release(job_id: str) -> None:
    """SLURM holds a requeued job back for about two minutes (its BeginTime): let it go now."""
    wait_for(lambda: state(job_id) == "PENDING", f"job {job_id} back in the queue")
    slurm_command("scontrol", "update", f"JobId={job_id}", "StartTime=now")


def slurm_command(*command: str) -> None:
    """Run a SLURM command, again while the controller says "try again later" (it does for a
    moment after another task of the same array changed state)."""
    for _ in range(150):
        done = subprocess.run(command, capture_output=True, text=True)
        if "try again later" not in done.stderr:
            return
        time.sleep(0.2)


def stopped(study: Path, run: str, before: int, timeout: float = 60.0) -> bool:
    """Whether the run's trainer says (again) that it stopped with a checkpoint, within `timeout`."""
    log = study / "logs" / f"{run}.log"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if log.read_text().count(STOPPED) > before:
            return True
        time.sleep(0.2)
    return False


def hold(study: Path, run: str) -> None:
    """Until the run's trainer is past step 10 (of 300: the interruption lands mid-run)."""
    wait_for(lambda: step(study, run) >= 10, f"{run} at step 10")


def interrupt(study: Path, run: str, *command: str) -> None:
    """Send the run's job `command` (a requeue, a signal, a cancel) once; its trainer must say it
    stopped with a checkpoint."""
    job_id = job(study, run)
    before = (study / "logs" / f"{run}.log").read_text().count(STOPPED)
    slurm_command(*command, job_id)
    log = (study / "logs" / f"{run}.log").read_text().splitlines()[-3:]
    assert stopped(study, run, before), f"{' '.join(command)} did not stop {run}: {log}; job {state(job_id)}"


def weights(study: Path, run: str) -> dict:
    return load_file(study / "runs" / run / WEIGHTS)


@pytest.mark.slow
def test_a_slurm_study_ends_with_the_weights_of_a_local_one(slurm, tmp_path):  # noqa: F811
    local, remote = tmp_path / "local", tmp_path / "slurm"
    done = s2s("study", "--out", str(local), *STUDY, "--jobs", "2", "--threads", "1")
    assert done.returncode == 0, done.stderr[-3000:]

    slurm_flags = [
        "--launcher",
        "slurm",
        "--partition",
        slurm,
        "--cpus-per-job",
        "1",
        "--time",
        "10",
        "--mem",
        "2G",
        "--slurm-extra",
        "comment=s2s-test",
    ]
    done = s2s("study", "--out", str(remote), *STUDY, *slurm_flags, "--no-wait")
    assert done.returncode == 0 and "4 jobs submitted now" in done.stderr, done.stderr
    jobs = read_json(remote / SLURM_DIR / JOBS)
    again = s2s("study", "--out", str(remote), "--no-wait", "--no-report")  # submitted twice: nothing twice
    assert again.returncode == 0 and "0 jobs submitted now" in again.stderr, again.stderr
    assert read_json(remote / SLURM_DIR / JOBS) == jobs and again.stderr.count("not submitted again") == 4

    # forward-s1, still queued (2 cores, 4 jobs), is cancelled: the next `--out S` resubmits it.
    # forward-s0 and reversed-s0 are requeued mid-run as preemption does it (SIGTERM), in one command
    # (SLURM answers "try again later" to a task of an array whose sibling is being requeued);
    # reversed-s1 then gets SLURM's warning before a time limit (SIGUSR2: submitit checkpoints, requeues)
    cancelled = job(remote, "forward-s1")
    slurm_command("scancel", cancelled)
    hold(remote, "forward-s0")
    hold(remote, "reversed-s0")
    before = {run: (remote / "logs" / f"{run}.log").read_text().count(STOPPED) for run in RUNS[:2]}
    slurm_command("scontrol", "requeue", f"{job(remote, 'forward-s0')},{job(remote, 'reversed-s0')}")
    assert all(stopped(remote, run, before[run]) for run in RUNS[:2])
    hold(remote, "reversed-s1")  # it took a core the requeues freed
    interrupt(remote, "reversed-s1", "scancel", "--signal=USR2")
    for run in ("forward-s0", "reversed-s0", "reversed-s1"):
        release(job(remote, run))

    done = s2s("study", "--out", str(remote), "--no-report")  # collects, resubmits forward-s1, waits
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"submitted forward-s1 as job {job(remote, 'forward-s1')}" in done.stderr
    assert job(remote, "forward-s1") != cancelled and "all 4 runs finished" in done.stderr

    for run in RUNS:
        a, b = weights(local, run), weights(remote, run)
        assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a), run
    for run in ("forward-s0", "reversed-s0", "reversed-s1"):  # each stopped with a checkpoint, then resumed
        log = (remote / "logs" / f"{run}.log").read_text()
        assert log.count(STOPPED) == 1 and log.rstrip().endswith(f"finished: {remote / 'runs' / run}")
    current = [job(remote, run) for run in RUNS]
    sacct = subprocess.run(
        ["sacct", "-X", "-n", "-P", "-o", "JobID,State", "-j", ",".join(current)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    states = dict(line.split("|") for line in sacct.splitlines())
    assert {j: states[j] for j in current} == dict.fromkeys(current, "COMPLETED"), sacct
    assert state(cancelled) == "gone"  # cancelled while queued: no job runs it twice
