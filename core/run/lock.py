"""One writer per run folder, and what "running" means.

The trainer holds an OS lock (fcntl.flock on the run folder itself, so no file is added) for its
whole life; the kernel releases it when the process ends, however it ends (kill -9, a crash, a
reboot, a container restart). So:
  - a second trainer on a locked run is refused and told who holds it: the holder names itself in
    status.json (pid and identity) the moment it has the lock, so the name is never a stale one;
  - "running" means "the lock is held", never "status.json names a live PID" (after a restart a
    low PID is soon reused by an unrelated process);
  - a process is signalled only when the lock is held AND the PID in status.json is still the
    process that wrote it: its identity (boot id and start time, from /proc) is recorded when
    training starts and compared before any signal.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.errors import UserError
from core.run.status import read_status, record_holder

IDENTITY = "pid_identity"  # the status.json field with the trainer's process identity
NAMING_WAIT_S = 2.0  # how long a refused trainer waits for the holder to name itself


def process_identity(pid: int | None) -> str | None:
    """`boot id:start time` of a live process (Linux /proc), or None where it cannot be read."""
    if not pid:
        return None
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        stat = Path(f"/proc/{int(pid)}/stat").read_text()
    except (OSError, ValueError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": state is field 3
    return f"{boot}:{fields[19]}"  # field 22 of stat: start time in clock ticks since boot


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class TrainerProcess:
    """The process that trains a run, as status.json names it (its pid and pid_identity fields):
    its PID, and its identity, so that a PID the system gave to another process since is never
    taken for the trainer."""

    pid: int
    identity: str | None  # process_identity: "boot id:start time"; None where /proc cannot tell


def this_process() -> TrainerProcess:
    """The process that runs this code, as a run's trainer."""
    return TrainerProcess(os.getpid(), process_identity(os.getpid()))


def _open(run: Path) -> int:
    return os.open(run, os.O_RDONLY)


@contextmanager
def trainer_lock(run: str | Path) -> Iterator[None]:
    """Hold the run's lock for the block; UserError naming the holder if another trainer has it."""
    run = Path(run)
    fd = _open(run)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        holder = _holder(run)
        raise UserError(
            f"run {run} is being trained by another process (pid {holder}): stop it (the app's Stop "
            "button, or kill -TERM) before training it again"
        ) from None
    try:
        record_holder(run, os.getpid(), process_identity(os.getpid()))
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(run: Path) -> int | str:
    """The pid of the process holding the lock, once it has named itself (it does so at once;
    the status.json read before may still name the trainer before it)."""
    deadline = time.monotonic() + NAMING_WAIT_S
    while time.monotonic() < deadline:
        pid = trainer_pid(run)
        if pid is not None:
            return pid
        time.sleep(0.05)
    return read_status(run).pid or "unknown"


def is_locked(run: str | Path) -> bool:
    """True while a trainer holds the run's lock (a missing folder is not locked)."""
    try:
        fd = _open(Path(run))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def trainer_pid(run: str | Path) -> int | None:
    """The PID of the run's trainer, only if the lock is held and that PID is still the process
    that recorded itself in status.json (same boot, same start time); else None."""
    run = Path(run)
    if not is_locked(run):
        return None
    status = read_status(run)
    pid, identity = status.pid, status.pid_identity
    if identity and process_identity(pid) == identity:
        return int(pid)
    return None
