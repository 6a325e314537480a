"""A child process that lives no longer than its parent: the parent passes on the signals that
stop it (SIGTERM from a process manager, `docker stop` or `kill`; SIGINT from Ctrl-C) and waits
for it, and the kernel sends it SIGTERM if the parent dies without a word (kill -9).

`s2s app` runs its Streamlit server so; a study's SLURM job runs its `s2s train` so.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence

FORWARDED = (signal.SIGTERM, signal.SIGINT)
GRACE_S = 30.0  # after a signal is passed on, how long the child has to exit before it is killed
POLL_S = 0.1


def die_with_parent() -> None:
    """In the child (a Popen preexec_fn): get SIGTERM when the parent dies (Linux's PR_SET_PDEATHSIG),
    so a killed parent leaves nothing running behind it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def exit_status(returncode: int) -> int:
    """A child's return code as a shell reports it: 128 + N for a child ended by signal N."""
    return 128 - returncode if returncode < 0 else returncode


class Child:
    """`command` as a process that dies with this one; in a session of its own unless `own_session`
    is False (a terminal's Ctrl-C then reaches the parent alone, which passes it on once; a SLURM
    job's trainer stays in the job's process group, where SLURM's signals reach it)."""

    def __init__(self, command: Sequence[str], own_session: bool = True, **popen):
        self.process = subprocess.Popen(
            list(command),
            start_new_session=own_session,
            preexec_fn=die_with_parent if os.name == "posix" else None,
            **popen,
        )
        self.stopping_since: float | None = None  # when the first signal was passed on

    @property
    def pid(self) -> int:
        return self.process.pid

    def running(self) -> bool:
        return self.process.poll() is None

    def signal(self, signum: int) -> None:
        """Pass `signum` on (signal-handler safe); the grace period starts with the first."""
        if self.running():
            self.process.send_signal(signum)
            if self.stopping_since is None:
                self.stopping_since = time.monotonic()

    def wait(self, grace_s: float = GRACE_S) -> int:
        """Its return code, once it has ended; killed `grace_s` after the first signal passed on.
        It polls: a signal handler may wait too, and Popen.wait would hold a lock against it."""
        while self.running():
            if self.stopping_since is not None and time.monotonic() > self.stopping_since + grace_s:
                self.process.kill()
            time.sleep(POLL_S)
        return self.process.returncode


def run_forwarding(command: Sequence[str], grace_s: float = GRACE_S, **popen) -> int:
    """Run `command` to its end, passing on SIGTERM and SIGINT; its exit status (128 + N for a
    signal N). The caller's own handlers are restored afterwards."""
    child = Child(command, **popen)
    before = {sig: signal.signal(sig, lambda signum, frame: child.signal(signum)) for sig in FORWARDED}
    try:
        return exit_status(child.wait(grace_s))
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
