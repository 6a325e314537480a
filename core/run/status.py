"""status.json: how a run's training stands, as one typed, versioned record.

This module is the only reader and writer of status.json. The trainer rewrites it as it goes
(every write atomic: core.atomic); the app, the runs table, the lock and studies read it.

    {"version": 2, "state": "running", "step": 250, "total_steps": 4000, "message": "training",
     "pid": 4242, "pid_identity": "BOOT:TICKS", "device": "cpu (2 threads)", "n_train": 45000,
     "world_size": 1, "updated": 1767225600.0, "plateau": false}

Version history:
  1  the first versioned one; a file without a version (written before) has the same fields and
     loads as version 1
  2  adds plateau: the run finished early because dev BLEU stopped rising (TrainConfig.patience);
     a version-1 file loads with plateau false (its runs trained every step)
Older versions load; a newer one is refused with a message. A run with no status.json yet reads as
the defaults: stopped at step 0.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from core import atomic
from core.errors import UserError
from core.run.folder import STATUS, file_version, read_json

STATUS_VERSION = 2
STATES = ("running", "finished", "failed", "stopped")


@dataclass(frozen=True)
class RunStatus:
    state: str = "stopped"  # running | finished | failed | stopped ("running" is only true while locked)
    step: int = 0  # the last step trained
    total_steps: int = 0  # the step training ends at (0 until the session has planned it)
    message: str = ""  # what the run is doing, or why it stopped
    pid: int | None = None  # the trainer's process (core.run.lock: trusted only with its identity)
    pid_identity: str | None = None  # "boot id:start time" of that process (core.run.lock.IDENTITY)
    device: str | None = None  # e.g. "cpu (2 threads)"
    n_train: int | None = None  # training pairs after the length cut
    world_size: int | None = None  # processes training together (DDP)
    updated: float = 0.0  # time.time() of the last write
    plateau: bool = False  # finished early: dev BLEU stopped rising (TrainConfig.patience; version 2)
    version: int = STATUS_VERSION

    def __post_init__(self):
        if self.state not in STATES:
            raise UserError(f"state must be one of {', '.join(STATES)}, not {self.state!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict, where: str = STATUS) -> RunStatus:
        """status.json's contents -> RunStatus (UserError naming `where` when it is damaged)."""
        file_version(d, where, STATUS_VERSION)
        unknown = sorted(set(d) - {f.name for f in fields(cls)})
        if unknown:
            raise UserError(
                f"{where} is damaged or from another version: unknown fields {', '.join(unknown)}"
            )
        try:
            return cls(**{**d, "version": STATUS_VERSION})
        except (TypeError, UserError) as err:
            raise UserError(f"{where} is damaged: {err}") from err


def read_status(run: str | Path) -> RunStatus:
    """The run's status.json (the defaults, stopped at step 0, when it has none yet)."""
    path = Path(run) / STATUS
    return RunStatus.from_dict(read_json(path), str(path))


def write_status(run: str | Path, state: str, **changed) -> RunStatus:
    """Set the run's state and the fields given, keep the others, and stamp the time."""
    return save_status(run, replace(read_status(run), **changed, state=state, updated=time.time()))


def save_status(run: str | Path, status: RunStatus) -> RunStatus:
    """Write `status` as the run's status.json, as it is (scripts/demo_runs.py ships one this way)."""
    atomic.write_json(Path(run) / STATUS, status.to_dict())
    return status


def record_holder(run: str | Path, pid: int, identity: str | None) -> None:
    """Name the process that holds the run's lock (core.run.lock), if the run has a status.json;
    its state and time stay, since they say what the run did, not who holds it."""
    if (Path(run) / STATUS).is_file():
        save_status(run, replace(read_status(run), pid=pid, pid_identity=identity))
