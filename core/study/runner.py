"""Train every arm and seed of a study, each as an `s2s train` subprocess, and resume a killed study.

A subprocess per run gives what a study needs from machinery that already exists: isolation
(one run's failure or memory stays its own), parallel jobs, and exact resume (`s2s train
--resume` continues a run from its last checkpoint with its data order and RNG state). Within a
seed every arm gets the same data, data order (the seed), budget (--steps) and settings; only
the arm's flags differ (core.study.arms).

A run is in one of four states when a study (re)starts: finished (left alone), resumable (it
has a checkpoint: --resume), running in another process (waited for, never started twice) or
absent (started). A folder without a checkpoint holds nothing trained; it is started afresh.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from core.analysis.suites import DEFAULT_PROBE_SUITES, PROBE_SUITE_FLAG
from core.errors import UserError
from core.run.folder import STATE
from core.run.lock import is_locked, pid_alive
from core.run.status import read_status
from core.study.arms import ARMS
from core.study.layout import STUDY, StudySpec, read_study, run_folder, run_name, write_study

LOGS = "logs"  # studies/NAME/logs/ARM-sSEED.log: each training process's output
POLL_S = 0.5  # seconds between looks at the running trainers
PROGRESS_EVERY_S = 15  # seconds between progress lines (each names every running run and its step)


@dataclass(frozen=True)
class RunnerConfig:
    jobs: int = 1  # runs trained at once
    threads: int | None = None  # PyTorch threads per run; None: the cores shared among the jobs
    device: str = "auto"

    def __post_init__(self):
        if self.jobs < 1:
            raise UserError(f"--jobs must be at least 1, not {self.jobs}")
        if self.threads is not None and self.threads < 1:
            raise UserError(f"--threads must be at least 1, not {self.threads}")

    def threads_per_run(self) -> int:
        return self.threads or max(1, (os.cpu_count() or 1) // self.jobs)


def open_study(study: Path, spec: StudySpec | None) -> StudySpec:
    """The study's settings: a new study's `spec` (study.json is written), or the stored ones for
    a study that exists (a different `spec` is an error naming the difference)."""
    if study.exists() and not study.is_dir():
        raise UserError(f"{study} is a file: choose a folder for --out")
    if (study / STUDY).is_file():
        stored = read_study(study)
        if spec is not None and spec != stored:
            theirs = stored.to_dict()
            diff = [
                f"{k} {v!r} (the study has {theirs[k]!r})"
                for k, v in spec.to_dict().items()
                if theirs[k] != v and k != "threads"
            ]
            raise UserError(
                f"{study} is a study with other settings: {'; '.join(diff)}. Give the same settings (or "
                "only --out) to resume it, or choose another --out"
            )
        return stored
    if spec is None:
        raise UserError(
            f"{study} is not a study yet: give --data (and --arms, --seeds, --steps) to start one"
        )
    if study.exists() and any(study.iterdir()):
        raise UserError(f"{study} already exists and is not a study: choose another --out")
    write_study(study, spec)
    return spec


@contextmanager
def study_process(study: Path) -> Iterator[None]:
    """Mark the study as worked on for the block: a shared OS lock on its folder, which several
    `s2s study` processes may hold at once and the kernel releases however the process ends."""
    fd = os.open(study, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def add_seeds(study: Path, k: int) -> StudySpec:
    """Extend a study with k more seeds (its runs are kept, not retrained): study.json is
    rewritten with the larger count. Refused while a process works on the study or trains one of
    its runs, since it would then change the settings under it."""
    if not isinstance(k, int) or k < 1:
        raise UserError(f"--add-seeds must be at least 1, not {k}")
    spec = read_study(study)
    busy = [run_name(*key) for key in spec.runs() if is_locked(run_folder(study, *key))]
    fd = os.open(study, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            busy.insert(0, "the study itself")
        if busy:
            raise UserError(
                f"{study} is still running ({', '.join(busy)}): let it finish or stop it, then add seeds"
            )
        extended = replace(spec, seeds=spec.seeds + k)  # checks the new count against MAX_SEEDS
        write_study(study, extended)
    finally:
        os.close(fd)
    return extended


def train_command(
    spec: StudySpec, study: Path, arm: str, seed: int, config: RunnerConfig, resume: bool
) -> list[str]:
    """The `s2s train` command line of one run (a resume keeps the run's own settings)."""
    out = run_folder(study, arm, seed)
    common = [sys.executable, "-m", "core", "train", "--out", str(out), "--no-progress"]
    common += ["--threads", str(config.threads_per_run()), "--device", config.device]
    if resume:
        return [*common, "--resume"]
    steps = ["--steps", str(spec.steps)] if spec.steps is not None else []
    suites = [PROBE_SUITE_FLAG, *DEFAULT_PROBE_SUITES, *spec.probe_suites] if spec.probe_suites else []
    settings = ["--data", spec.data, "--preset", spec.preset, "--seed", str(seed), *steps]
    return [*common, *settings, *ARMS[arm].train_flags(), *suites, *spec.overrides]


def run_state(folder: Path) -> str:
    """finished | running (another live process trains it) | resumable | new."""
    status = read_status(folder)
    if status.state == "finished":
        return "finished"
    if status.state == "running" and pid_alive(status.pid) and status.pid != os.getpid():
        return "running"
    return "resumable" if (folder / STATE).is_file() else "new"


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the study process dies (Linux), so a killed study's trainers
    checkpoint and stop instead of training on unseen."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _last_line(path: Path) -> str:
    try:
        lines = [
            line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()
        ]
    except FileNotFoundError:
        return ""
    return lines[-1] if lines else ""


def run_study(
    study: Path, spec: StudySpec, config: RunnerConfig, log: Callable[[str], None] = print
) -> list[str]:
    """Train every run of the study not yet finished; returns the names of the runs trained now.

    Raises UserError (after stopping the other runs cleanly) when a run fails.
    """
    pending = list(spec.runs())
    active: dict[tuple[str, int], subprocess.Popen] = {}
    trained, last_report = [], 0.0
    try:
        while pending or active:
            for key, proc in list(active.items()):
                if proc.poll() is None:
                    continue
                del active[key]
                name = run_name(*key)
                if proc.returncode != 0 or run_state(run_folder(study, *key)) != "finished":
                    reason = _last_line(study / LOGS / f"{name}.log") or f"exit status {proc.returncode}"
                    why = reason.removeprefix("s2s train: error: ")
                    raise UserError(f"run {name} failed: {why} (its log: {study / LOGS / name}.log)")
                trained.append(name)
                log(f"finished {name} ({_done(study, spec)}/{len(spec.runs())})")
            while pending and len(active) < config.jobs:
                key = pending.pop(0)
                folder, name = run_folder(study, *key), run_name(*key)
                state = run_state(folder)
                if state == "finished":
                    continue
                if state == "running":  # another study process trains it: wait, never train it twice
                    log(f"waiting for {name}: another process (pid {read_status(folder).pid}) trains it")
                    while run_state(folder) == "running":
                        time.sleep(POLL_S)
                    pending.insert(0, key)
                    continue
                if state == "new" and folder.exists():
                    shutil.rmtree(folder)  # created, killed before its first checkpoint: nothing trained
                (study / LOGS).mkdir(parents=True, exist_ok=True)
                with open(study / LOGS / f"{name}.log", "a", encoding="utf-8") as out:
                    command = train_command(spec, study, *key, config, resume=state == "resumable")
                    dies_with_us = _die_with_parent if os.name == "posix" else None
                    active[key] = subprocess.Popen(
                        command, stdout=out, stderr=subprocess.STDOUT, preexec_fn=dies_with_us
                    )
                log(f"{'resuming' if state == 'resumable' else 'starting'} {name}")
            if time.monotonic() - last_report > PROGRESS_EVERY_S and active:
                last_report = time.monotonic()
                log("progress: " + ", ".join(_progress(study, key) for key in active))
            time.sleep(POLL_S if active else 0)
    except BaseException:
        _stop(active)
        raise
    return trained


def _done(study: Path, spec: StudySpec) -> int:
    return sum(run_state(run_folder(study, *key)) == "finished" for key in spec.runs())


def _progress(study: Path, key: tuple[str, int]) -> str:
    status = read_status(run_folder(study, *key))
    if not status.total_steps:
        return f"{run_name(*key)} preparing"
    return f"{run_name(*key)} step {status.step}/{status.total_steps}"


def _stop(active: dict) -> None:
    """SIGTERM: each trainer checkpoints and stops cleanly, so the study resumes exactly."""
    for proc in active.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in active.values():
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
