"""Atomic file writes: a temp file in the same folder, then `os.replace`.

A reader (the app following a training run, a resumed run) never sees a half-written file.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import UserError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = (stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH) & ~_umask()
_DIR_MODE = 0o755 & ~_umask()


TEMP_SUFFIX = ".tmp"  # write_with's temp files: .NAME.RANDOM.tmp beside NAME
FULL = (errno.ENOSPC, errno.EDQUOT)  # no space left, or over quota: the disk is full for us


def disk_full(path: Path, code: int) -> UserError:
    """The message for a write that found no space (`code`: ENOSPC or EDQUOT): what, where, and
    that the old file stands."""
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        free = 0
    return UserError(
        f"the disk is full: could not write {path} ({free / 2**20:,.0f} MB free in {path.parent}; "
        f"{os.strerror(code)}); the previous {path.name}, if any, is intact: free some space, then resume"
    )


def write_with(path: str | Path, writer: Callable[[Path], None]) -> Path:
    """Call `writer(tmp_path)` and move the result onto `path` in one rename.

    Whatever happens (an error, a full disk, a kill), `path` is the old file or the new one,
    never a mix. A full disk is a UserError saying so and where.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; a run folder is meant to be shared
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        code = _full(err)
        if code is not None:
            raise disk_full(path, code) from err
        raise
    return path


def remove_stale_temps(folder: str | Path, names: tuple[str, ...]) -> list[Path]:
    """Remove the temp files that a process killed inside `write_with` left for these file names
    (call it only as the folder's one writer, e.g. holding its trainer lock); returns them."""
    stale = [p for name in names for p in Path(folder).glob(f".{name}.*{TEMP_SUFFIX}")]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _full(err: BaseException) -> int | None:
    """ENOSPC or EDQUOT if `err` says the disk is full, also where a library wrapped the OSError
    (torch.save: a RuntimeError with the OSError as its context) or kept only its text
    (safetensors: "No space left on device (os error 28)"); else None."""
    while err is not None:
        if isinstance(err, OSError) and err.errno in FULL:
            return err.errno
        if "No space left on device" in str(err):
            return errno.ENOSPC
        if "Disk quota exceeded" in str(err):
            return errno.EDQUOT
        err = err.__cause__ or err.__context__
    return None


def write_text(path: str | Path, text: str) -> Path:
    return write_with(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, obj: object) -> Path:
    return write_text(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def append_jsonl(path: str | Path, record: dict) -> None:
    """Append one JSON line; a single write of a whole line, flushed, so a reader sees whole lines."""
    line = json.dumps(record, ensure_ascii=False) + "\n"
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
    except OSError as err:  # a torn last line is skipped by its readers
        if err.errno in FULL:
            raise disk_full(Path(path), err.errno) from err
        raise


@contextmanager
def staged_dir(final: str | Path) -> Iterator[Path]:
    """Build a folder under a temporary name; rename it to `final` only if the block succeeds.

    On any error the staging folder is removed, so no half-written folder is left behind.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".staging", dir=final.parent))
    os.chmod(stage, _DIR_MODE)
    try:
        yield stage
        if final.exists():
            shutil.rmtree(final)
        os.replace(stage, final)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
