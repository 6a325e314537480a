"""`s2s train` that records where it is, for tests/test_crash.py to know where each SIGKILL landed.

    python -m tests.helpers.crash_trainer LOG train --out RUN ...

Every atomic write (core.atomic.write_with) appends `begin NAME` before it and `end NAME` after its
rename, and the checkpoint's last step, the rename of state.next.pt onto state.pt, appends `begin
state.pt` and `end state.pt`: one write(2) per line, so a SIGKILL leaves whole lines. A
checkpoint's writes pause SLOW_S inside (the temp file written, not yet renamed; the rename not yet
done), so that a kill can be aimed there. Nothing else changes: the same trainer, the same bits.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from core import atomic
from core.run.folder import NEXT_STATE, STATE, WEIGHTS

SLOW_S = 0.1
CHECKPOINT_WRITES = (NEXT_STATE, WEIGHTS, STATE)  # in the order a checkpoint makes them


def main(log: str, argv: list[str]) -> int:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def note(line: str) -> None:
        os.write(fd, f"{line}\n".encode())

    write_with, replace = atomic.write_with, os.replace

    def recorded_write(path, writer):
        name = Path(path).name

        def slowed(tmp):
            writer(tmp)
            if name in CHECKPOINT_WRITES:
                time.sleep(SLOW_S)

        note(f"begin {name}")
        written = write_with(path, slowed)
        note(f"end {name}")
        return written

    def recorded_replace(source, target):
        if Path(target).name == STATE and Path(source).name == NEXT_STATE:
            note(f"begin {STATE}")
            time.sleep(SLOW_S)
            replace(source, target)
            note(f"end {STATE}")
        else:
            replace(source, target)

    atomic.write_with, os.replace = recorded_write, recorded_replace
    from core.cli import main as s2s

    return s2s(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
