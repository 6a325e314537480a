"""How much disk the runs folder takes, shown on Home: every run keeps its checkpoints, and a
paper-size run is gigabytes. No Streamlit here: unit-testable."""

from __future__ import annotations

import contextlib
import math
import os
import shutil
from pathlib import Path

UNITS = ("bytes", "kB", "MB", "GB", "TB")  # decimal (1 kB = 1,000 bytes), as file managers show them


def folder_bytes(root: Path) -> int:
    """Bytes of the files under `root` (0 if it does not exist); symbolic links are not followed."""
    total = 0
    for folder, _, names in os.walk(root):
        for name in names:
            with contextlib.suppress(FileNotFoundError):  # replaced while we walk (a new checkpoint)
                total += os.lstat(os.path.join(folder, name)).st_size
    return total


def free_bytes(root: Path) -> int:
    """Free space on the disk that holds `root`."""
    return shutil.disk_usage(root).free


def format_bytes(n: int) -> str:
    """1_234_567 -> "1.2 MB"; below 1 kB, the count of bytes."""
    if n < 1000:
        return f"{n:,} bytes"
    power = min(int(math.log10(n)) // 3, len(UNITS) - 1)
    return f"{n / 1000**power:,.1f} {UNITS[power]}"


def disk_line(root: Path) -> str:
    """What Home says under the runs table: the folder's size and the space left on its disk."""
    return f"{format_bytes(folder_bytes(root))} on disk ({format_bytes(free_bytes(root))} free)"
