"""One run of a study as a SLURM job: what submitit pickles and runs on a compute node.

The job runs the run's ordinary `s2s train` command (a new run, or `--resume` for one with a
checkpoint), with its output appended to the study's logs/ARM-sSEED.log as under the local
launcher. How a job that must stop keeps its work:
  - SLURM's warning before the time limit (submitit asks for SIGUSR2 90 s before it) reaches
    every process of the job step, the trainer included, which checkpoints and stops; submitit
    then calls `checkpoint` below, which waits for the trainer and hands back this same job, and
    submitit requeues it (`scontrol requeue`);
  - preemption and `scontrol requeue` send SIGTERM: the trainer checkpoints and stops, and SLURM
    itself puts the job back in the queue.
Either way the job starts again later, finds a checkpoint and runs `--resume`, which continues
exactly (same data order, RNG and thread count): the weights end as an uninterrupted run's.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from core.child_process import Child
from core.run.folder import STATE
from core.run.lock import is_locked
from core.run.status import read_status
from core.study.layout import StudySpec, run_folder, run_name
from core.study.runner import LOGS, RunnerConfig, train_command


class RunNotFinished(RuntimeError):
    """The job's trainer ended before the run's last step (its log says why)."""


def run_progress(folder: Path) -> str:
    """finished | resumable (it has a checkpoint) | new. Never "running by pid": the pid in
    status.json may be another node's."""
    if read_status(folder).state == "finished":
        return "finished"
    return "resumable" if (folder / STATE).is_file() else "new"


@dataclass
class TrainJob:
    """The callable a job runs: `s2s train` for one arm and seed of the study."""

    spec: StudySpec
    study: Path
    arm: str
    seed: int
    runner: RunnerConfig
    child: Child | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return run_name(self.arm, self.seed)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "child": None}  # a live process is no part of a (re)submission

    def __call__(self) -> str:
        folder = run_folder(self.study, self.arm, self.seed)
        progress = run_progress(folder)
        if progress == "finished":
            return "finished"  # a second submission of a finished run trains nothing
        if progress == "new" and folder.exists() and not is_locked(folder):
            shutil.rmtree(folder)  # created, stopped before its first checkpoint: nothing trained
        command = train_command(
            self.spec, self.study, self.arm, self.seed, self.runner, resume=progress == "resumable"
        )
        (self.study / LOGS).mkdir(parents=True, exist_ok=True)
        with open(self.study / LOGS / f"{self.name}.log", "a", encoding="utf-8") as log:
            # in the job's process group, so SLURM's signals (SIGTERM, SIGSTOP, SIGCONT) reach it; SIGTERM
            # is passed on besides (submitit's own handler only logs it)
            self.child = Child(command, own_session=False, stdout=log, stderr=subprocess.STDOUT)
            signal.signal(signal.SIGTERM, lambda signum, frame: self.child.signal(signum))
            code = self.child.wait()
        if run_progress(folder) != "finished":
            raise RunNotFinished(f"run {self.name} is not finished (exit status {code}): see its log")
        return "finished"

    def checkpoint(self):
        """SLURM's warning (SIGUSR2) came: the trainer got it too and checkpoints; make sure it stops,
        wait for it, then hand back this job for submitit to requeue."""
        from submitit.helpers import DelayedSubmission

        if self.child is not None:
            self.child.signal(signal.SIGTERM)
            self.child.wait()
        return DelayedSubmission(TrainJob(self.spec, self.study, self.arm, self.seed, self.runner))
