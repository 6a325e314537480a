"""What a study asks of the SLURM cluster besides submitting: is there one, its partitions, the
state of jobs, cancelling them. Each is one call of SLURM's own commands (sinfo, squeue, sacct,
scancel), so it works on any cluster the user can submit to; no database of our own.
"""

from __future__ import annotations

import getpass
import shutil
import subprocess
from collections.abc import Iterable

from core.errors import UserError

TIMEOUT_S = 60
# a job in one of these states will still run (or runs); any other has ended for good
LIVE = frozenset(
    {
        "PENDING",
        "CONFIGURING",
        "RUNNING",
        "COMPLETING",
        "REQUEUED",
        "REQUEUE_HOLD",
        "REQUEUE_FED",
        "RESIZING",
        "SUSPENDED",
        "STAGE_OUT",
        "SIGNALING",
        "STOPPED",
    }
)
ENDED = "ENDED"  # gone from squeue, and sacct (no accounting?) does not know how it ended


def require_sbatch() -> None:
    if shutil.which("sbatch") is None:
        raise UserError(
            "--launcher slurm: no sbatch on PATH: run it where SLURM's commands are (a login node)"
        )


def _run(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise UserError(f"{command[0]} did not answer ({err})") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise UserError(f"{command[0]} failed: {detail}")
    return done.stdout


def partitions() -> tuple[list[str], str | None]:
    """The cluster's partitions, and its default one (sinfo marks it with *)."""
    names, default = [], None
    for line in _run(["sinfo", "-h", "-o", "%P"]).split():
        if line.endswith("*"):
            default = line = line[:-1]
        if line not in names:
            names.append(line)
    return names, default


def check_partition(name: str | None) -> None:
    """UserError naming the cluster's partitions if `name` is not one of them."""
    if name is None:
        return
    names, _ = partitions()
    if name not in names:
        raise UserError(f"unknown partition {name!r}: this cluster has {', '.join(names) or 'none'}")


def job_states(job_ids: Iterable[str]) -> dict[str, str]:
    """State of each job (array tasks as ARRAY_TASK): squeue for the live ones, sacct for those that
    ended, ENDED where neither knows (no accounting, and gone from squeue)."""
    ids = sorted({str(j) for j in job_ids})
    if not ids:
        return {}
    states = {}
    # the user's jobs (squeue -j fails outright on an id it no longer knows), array tasks one a line
    for line in _run(["squeue", "-h", "-r", "-o", "%i|%T", "-u", getpass.getuser()]).splitlines():
        job, _, state = line.partition("|")
        states[job.strip()] = state.strip()
    ended = [j for j in ids if j not in states]
    if ended:
        try:  # -X: the allocation, not its steps; the latest attempt of a requeued job
            out = _run(["sacct", "-X", "-n", "-P", "-o", "JobID,State", "-j", ",".join(ended)])
        except UserError:
            out = ""  # accounting disabled: only squeue's answer is known
        for line in out.splitlines():
            job, _, state = line.partition("|")
            if job in ended:
                states[job] = state.split()[0] if state.strip() else ENDED  # "CANCELLED by 0" -> CANCELLED
    return {j: states.get(j, ENDED) for j in ids}


def cancel(job_ids: Iterable[str]) -> None:
    """scancel: SLURM sends each job's processes SIGTERM, so each trainer checkpoints and stops."""
    ids = sorted({str(j) for j in job_ids})
    if ids:
        _run(["scancel", *ids])
