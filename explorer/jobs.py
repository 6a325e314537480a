"""Training from the app: a separate `python -m core train` process per run.

The process is started in its own session (`start_new_session=True`), so it outlives the
Streamlit rerun, the browser tab and even the server. Its output goes to
`<runs_dir>/.logs/<name>.log`; the pages follow the run folder's `metrics.jsonl` and
`status.json` (core.run). Stop = SIGTERM to the trainer holding the run's lock: it saves a
checkpoint and exits; `--resume` continues. The processes a server started are kept in one
`TrainingProcesses` registry. No Streamlit here: unit-testable.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from core.errors import UserError
from core.run.demo import refuse_demo
from core.run.folder import CONFIG, STATE, STATUS
from core.run.listing import run_info
from core.run.lock import is_locked, trainer_pid
from explorer.train.command import TrainOptions, train_argv

ROOT = Path(__file__).resolve().parents[1]
LOGS = ".logs"
RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
FIGURE2_RUNS = ("fig2-forward", "fig2-reversed")  # (reverse_source False, True)
FIGURE2_SEED = 0
# dev evaluations (250 steps each in `fast`) without a rise of MIN_RISE BLEU: the grammar is learnt
FIGURE2_PATIENCE = 3
DATA_DIR_ENV = "S2S_DATA_DIR"  # where uploads are kept, if not ./data/uploads
SUITE_UPLOADS = "probe-suites"  # the folder of uploaded probe suites in data_dir(): not a corpus


def data_dir() -> Path:
    """Where uploaded corpora are kept: $S2S_DATA_DIR, else ./data/uploads."""
    return Path(os.environ.get(DATA_DIR_ENV, "data/uploads")).resolve()


def suites_dir() -> Path:
    """Where the probe suites uploaded on the Study page are kept: beside the corpora."""
    return data_dir() / SUITE_UPLOADS


def check_new_run(name: str, root: Path) -> Path:
    """The folder for a new run called `name`; UserError if the name is bad or taken."""
    name = name.strip()
    if not RUN_NAME.match(name):
        raise UserError(
            f"run name {name!r} is not allowed: use letters, digits, '.', '_' or '-' (at most 64), "
            "starting with a letter or digit"
        )
    run = root / name
    if run.exists():
        raise UserError(f"a run called {name!r} exists already: pick another name, or resume it")
    return run


def command(argv: list[str]) -> list[str]:
    return [sys.executable, "-m", "core", *argv]


def log_path(run: Path) -> Path:
    return run.parent / LOGS / f"{run.name}.log"


def split_threads(n_jobs: int) -> int | None:
    """CPU threads per process when `n_jobs` train at once (None: let PyTorch decide)."""
    cores = os.cpu_count() or 1
    return max(1, cores // n_jobs) if cores > 1 else None


def can_resume(run: Path) -> bool:
    return (run / STATE).is_file() and (run / CONFIG).is_file()


def last_log_line(run: Path) -> str:
    try:
        lines = [line.strip() for line in log_path(run).read_text(encoding="utf-8").splitlines()]
    except FileNotFoundError:
        return ""
    lines = [line for line in lines if line]
    return lines[-1] if lines else ""


@dataclass(frozen=True)
class JobState:
    """What the Train page says about a run: starting | running | finished | failed | stopped | missing."""

    state: str
    message: str = ""


def figure2_paths(root: Path) -> tuple[Path, Path]:
    return root / FIGURE2_RUNS[0], root / FIGURE2_RUNS[1]


def figure2_options(reverse: bool, threads: int | None = None) -> TrainOptions:
    """The settings of Home's "Reproduce Figure 2" (and of the shipped demo pair, scripts/demo_runs.py):
    the built-in grammar, preset fast (4,000 steps at most), one seed for both directions, stopped
    once dev BLEU has stopped rising."""
    return TrainOptions(
        data="grammar",
        preset="fast",
        reverse_source=reverse,
        seed=FIGURE2_SEED,
        threads=threads,
        overrides={"patience": FIGURE2_PATIENCE},
    )


class TrainingProcesses:
    """The training processes this server started, by run folder.

    Polling a child reaps it and gives its exit code: a start that fails before the run folder
    exists is visible only here. The app holds one for the whole server, shared by every session
    (explorer.cache.training_processes); a test or a script makes its own.
    """

    def __init__(self) -> None:
        self._processes: dict[Path, subprocess.Popen] = {}
        self._started: dict[Path, float] = {}  # run folder -> when its process started (time.time())

    def track(self, run: Path, process: subprocess.Popen, started: float) -> None:
        """Remember `process` as the trainer of `run`, started at `started` (time.time())."""
        self._processes[run.resolve()] = process
        self._started[run.resolve()] = started

    def process(self, run: Path) -> subprocess.Popen | None:
        return self._processes.get(run.resolve())

    def _launch(self, run: Path, argv: list[str], append: bool) -> int:
        log = log_path(run)
        log.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        env["PYTHONUNBUFFERED"] = "1"
        with open(log, "a" if append else "w", encoding="utf-8") as out:
            out.write("$ s2s " + " ".join(argv) + "\n")
            out.flush()
            process = subprocess.Popen(
                command(argv),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # not killed with the Streamlit script run or the server
                env=env,
            )
        self.track(run, process, time.time())
        return process.pid

    def start(self, options: TrainOptions, run: Path) -> int:
        """Start training a new run in the background; returns the process id."""
        if run.exists():
            raise UserError(f"a run called {run.name!r} exists already: pick another name, or resume it")
        return self._launch(run, train_argv(options, run), append=False)

    def start_twins(self, options: TrainOptions, name: str, root: Path) -> tuple[Path, Path]:
        """The same configuration and seed, source reversed and not: `<name>-rev` and `<name>-fwd`."""
        runs = check_new_run(f"{name}-rev", root), check_new_run(f"{name}-fwd", root)
        seed = options.seed if options.seed is not None else options.overrides.get("seed", 0)
        threads = options.threads or split_threads(2)
        for run, reverse in zip(runs, (True, False)):
            twin = TrainOptions(
                **{**options.__dict__, "reverse_source": reverse, "seed": seed, "threads": threads}
            )
            self.start(twin, run)
        return runs

    def start_figure2(self, root: Path) -> list[Path]:
        """Train the forward and the reversed model of Figure 2 (those not there yet); same seed."""
        started = []
        threads = split_threads(2)
        for run, reverse in zip(figure2_paths(root), (False, True)):
            if run.exists():
                continue
            self.start(figure2_options(reverse, threads), run)
            started.append(run)
        return started

    def start_study(self, study: Path, argv: list[str]) -> int:
        """Start (or resume) `s2s study` for the study folder `study`; its log is beside the studies."""
        return self._launch(study, argv, append=study.exists())

    def resume(self, run: Path, steps: int | None = None, device: str = "auto") -> int:
        """Continue a stopped (or failed) run from its last checkpoint; `steps` may extend it."""
        refuse_demo(run, "resumed")
        if not (run / CONFIG).is_file():
            raise UserError(f"{run} is not a run folder: nothing to resume")
        if self.is_running(run):
            raise UserError(f"run {run.name} is still training")
        if not can_resume(run):
            raise UserError(f"run {run.name} has no checkpoint (state.pt) to resume from: start a new run")
        argv = ["train", "--out", str(run), "--resume", "--no-progress"]
        if steps is not None:
            argv += ["--steps", str(steps)]
        if device != "auto":
            argv += ["--device", device]
        return self._launch(run, argv, append=True)

    def is_running(self, run: Path) -> bool:
        """Our process is alive (it may still be loading), or a trainer holds the run's lock."""
        process = self.process(run)
        return (process is not None and process.poll() is None) or is_locked(run)

    def stop(self, run: Path) -> bool:
        """SIGTERM the run's trainer (it checkpoints and exits). False if nothing was running.

        The trainer is the process that holds the run's lock and recorded itself in status.json
        (core.run.lock.trainer_pid: never a PID that was reused), or our own process still starting.
        """
        refuse_demo(run, "stopped")
        pid = trainer_pid(run)
        process = self.process(run)
        if pid is None and process is not None and process.poll() is None:
            pid = process.pid  # still starting: no lock yet
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        return True

    def job_state(self, run: Path) -> JobState:
        process = self.process(run)
        code = process.poll() if process is not None else None
        if (run / STATUS).is_file():
            info = run_info(run)
            started = self._started.get(run.resolve(), 0.0)
            if info.state != "running" and code is None and info.updated < started:
                # resumed: the new process has not rewritten the old status.json ("stopped", "finished") yet
                return JobState("starting", f"resuming from step {info.step:,}")
            if info.state == "running" or code is None or code == 0:
                return JobState(info.state, info.message)
            # the process is gone with an error but status.json did not say so (e.g. a crash at start)
            return JobState("failed", last_log_line(run) or info.message)
        if process is None:
            return JobState("missing", f"run folder {run} does not exist")
        if code is None:
            return JobState("starting", "reading the data and building the model")
        return JobState("failed", last_log_line(run) or f"the training process exited with status {code}")
