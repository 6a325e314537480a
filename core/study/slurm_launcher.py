"""`s2s study --launcher slurm`: each arm x seed one SLURM job, submitted with submitit as a job
array; waiting, collecting, resubmitting and cancelling them.

    studies/NAME/slurm/
      launcher.json    the SlurmConfig the jobs were submitted with (`--out` alone reuses it)
      jobs.json        {run name: [job id, ...]}: every job submitted for each run, the last one current
      submitit/        submitit's pickles and the jobs' own output (JOBID_TASK_log.out)
      submit.lock      held while jobs are chosen and submitted

A run is never trained twice at once, and this is why: the jobs are keyed. Before submitting,
the launcher asks SLURM (squeue, sacct) for the state of the job recorded for each run, and
submits only the runs that are unfinished and have no job still pending or running; a second
`s2s study` on the same study (the same command again, or `--out S` to collect) therefore
submits nothing for a run whose job is queued or training. The decision and the submission are
made under an flock on submit.lock, so two submitters on one host take turns. The trainer's own
lock (an flock on the run folder) is a last guard; it holds across nodes only where the shared
filesystem supports flock (NFSv4, GPFS; Lustre only when mounted with -o flock), which is why
the keying, not the lock, is what the launcher relies on: SLURM's controller is the one view of
the jobs that every node shares.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core import atomic
from core.errors import UserError
from core.run.folder import read_json
from core.run.status import read_status
from core.study import slurm_cluster
from core.study.layout import StudySpec, run_folder, run_name
from core.study.runner import LOGS, RunnerConfig, _last_line
from core.study.slurm_config import SlurmConfig
from core.study.slurm_job import TrainJob, run_progress

SLURM_DIR = "slurm"
LAUNCHER = "launcher.json"
JOBS = "jobs.json"
SUBMITIT = "submitit"
SUBMIT_LOCK = "submit.lock"
POLL_S = 5.0  # seconds between looks at the jobs while waiting
PROGRESS_EVERY_S = 30.0
MAX_REQUEUES = 100  # requeues after a time limit, per job (submitit's max_num_timeout)
SIGNAL_DELAY_S = 90  # SIGUSR2 this long before the time limit: time to checkpoint


@dataclass(frozen=True)
class RunJob:
    """One run of a SLURM study as the launcher, the CLI and the Study page see it."""

    run: str
    progress: str  # finished | resumable | new (core.study.slurm_job.run_progress)
    job_id: str | None  # the run's current job, if one was submitted
    job_state: str | None  # SLURM's state of that job (PENDING, RUNNING, COMPLETED, FAILED, ...)
    step: int
    total_steps: int

    @property
    def live(self) -> bool:
        return self.job_state in slurm_cluster.LIVE

    @property
    def needs_job(self) -> bool:
        """Unfinished and without a job that will still run it."""
        return self.progress != "finished" and not self.live


def folder_of(study: Path) -> Path:
    return Path(study) / SLURM_DIR


def is_slurm_study(study: Path) -> bool:
    return (folder_of(study) / LAUNCHER).is_file()


def read_config(study: Path) -> SlurmConfig:
    return SlurmConfig.from_dict(read_json(folder_of(study) / LAUNCHER))


@dataclass(frozen=True)
class SubmittedJobs:
    """jobs.json, its one reader and writer: every job submitted for each run, the last one current."""

    runs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (run name, its job ids in submission order)

    @classmethod
    def read(cls, study: Path) -> SubmittedJobs:
        """The study's jobs.json (none submitted yet: empty)."""
        recorded = read_json(folder_of(study) / JOBS)
        return cls(tuple((name, tuple(str(j) for j in ids)) for name, ids in recorded.items()))

    def current(self, run: str) -> str | None:
        """The run's current job (its last), or None if it never had one."""
        return next((ids[-1] for name, ids in self.runs if name == run and ids), None)

    def adding(self, submitted: Iterable[tuple[str, str]]) -> SubmittedJobs:
        """These with (run, job id) pairs submitted now appended."""
        runs = {name: list(ids) for name, ids in self.runs}
        for run, job in submitted:
            runs.setdefault(run, []).append(job)
        return SubmittedJobs(tuple((name, tuple(ids)) for name, ids in runs.items()))

    def to_dict(self) -> dict:
        return {name: list(ids) for name, ids in self.runs}

    def write(self, study: Path) -> None:
        atomic.write_json(folder_of(study) / JOBS, self.to_dict())


def run_jobs(study: Path, spec: StudySpec) -> list[RunJob]:
    """Every run of the study with its current job and that job's state (one squeue and one sacct)."""
    submitted = SubmittedJobs.read(study)
    jobs = {name: job for name, _ in submitted.runs if (job := submitted.current(name))}
    states = slurm_cluster.job_states(jobs.values()) if jobs else {}
    found = []
    for key in spec.runs():
        name, folder = run_name(*key), run_folder(study, *key)
        status = read_status(folder)
        job = jobs.get(name)
        found.append(
            RunJob(
                name,
                run_progress(folder),
                job,
                states.get(job) if job else None,
                status.step,
                status.total_steps,
            )
        )
    return found


@contextmanager
def _submitting(study: Path) -> Iterator[None]:
    path = folder_of(study) / SUBMIT_LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # another submitter on this host: wait for its turn
        yield


def submit(
    study: Path,
    spec: StudySpec,
    config: SlurmConfig,
    runner: RunnerConfig,
    log: Callable[[str], None] = print,
) -> list[RunJob]:
    """Submit one job per unfinished run that has no live job, as one array; returns the runs
    submitted now (none when every run is finished or has its job)."""
    slurm_cluster.require_sbatch()
    slurm_cluster.check_partition(config.partition)
    with _submitting(study):
        atomic.write_json(folder_of(study) / LAUNCHER, config.to_dict())
        runs = run_jobs(study, spec)
        wanted = [r for r in runs if r.needs_job]
        for r in runs:
            if r.progress != "finished" and r.live:
                log(f"{r.run}: its job {r.job_id} is {r.job_state}: not submitted again")
        if not wanted:
            return []
        ids = _submit_array(study, spec, config, runner, [r.run for r in wanted])
        SubmittedJobs.read(study).adding((r.run, job_id) for r, job_id in zip(wanted, ids)).write(study)
    for r, job_id in zip(wanted, ids):
        resumes = " (resumes its checkpoint)" if r.progress == "resumable" else ""
        log(f"submitted {r.run} as job {job_id}{resumes}")
    return [
        RunJob(r.run, r.progress, job_id, "PENDING", r.step, r.total_steps) for r, job_id in zip(wanted, ids)
    ]


def _submit_array(
    study: Path, spec: StudySpec, config: SlurmConfig, runner: RunnerConfig, names: list[str]
) -> list[str]:
    import submitit

    keys = {run_name(*key): key for key in spec.runs()}
    executor = submitit.SlurmExecutor(folder=folder_of(study) / SUBMITIT / "%j", max_num_timeout=MAX_REQUEUES)
    executor.update_parameters(
        **config.sbatch_parameters(f"s2s-{Path(study).name}"), signal_delay_s=SIGNAL_DELAY_S
    )
    try:
        with executor.batch():
            jobs = [
                executor.submit(TrainJob(spec, Path(study).resolve(), *keys[name], runner)) for name in names
            ]
    except (submitit.core.utils.FailedJobError, OSError) as err:
        lines = [line for line in str(err).splitlines() if line.strip()]
        raise UserError(f"sbatch refused the study's jobs: {lines[-1] if lines else err}") from None
    return [str(job.job_id) for job in jobs]


def wait(study: Path, spec: StudySpec, log: Callable[[str], None] = print, poll_s: float = POLL_S) -> None:
    """Until every run is finished, with a progress line now and then. A job that ends with its
    run unfinished (failed, cancelled, out of memory) stops the wait with one line saying which,
    why (its log's last line) and how to go on; the other jobs keep running."""
    last_report = 0.0
    while True:
        runs = run_jobs(study, spec)
        if all(r.progress == "finished" for r in runs):
            return
        ended = [r for r in runs if r.needs_job and r.job_id is not None]
        if ended:
            r = ended[0]
            reason = _last_line(Path(study) / LOGS / f"{r.run}.log") or "no output"
            raise UserError(
                f"run {r.run}'s job {r.job_id} ended {r.job_state} before the run finished: "
                f"{reason.removeprefix('s2s train: error: ')} (its log: {Path(study) / LOGS / r.run}.log); "
                f"the other jobs go on: `s2s study --out {study}` waits for them and resubmits it"
            )
        if not any(r.live for r in runs):
            raise UserError(f"runs of {study} have no job: `s2s study --out {study}` submits them")
        if time.monotonic() - last_report > PROGRESS_EVERY_S:
            last_report = time.monotonic()
            log("progress: " + ", ".join(describe(r) for r in runs))
        time.sleep(poll_s)


def describe(r: RunJob) -> str:
    if r.progress == "finished":
        return f"{r.run} finished"
    step = f"step {r.step}/{r.total_steps}" if r.total_steps else "preparing"
    return f"{r.run} {step} (job {r.job_id} {r.job_state})" if r.job_id else f"{r.run} no job"


def cancel(study: Path, spec: StudySpec) -> list[RunJob]:
    """scancel every live job of the study (each trainer checkpoints on SLURM's SIGTERM); returns them."""
    live = [r for r in run_jobs(study, spec) if r.live]
    slurm_cluster.cancel(r.job_id for r in live)
    return live
