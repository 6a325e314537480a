"""Probe suites uploaded on the Study page: validated with the engine's parser, then kept beside
the uploaded corpora ($S2S_DATA_DIR/probe-suites), so a study's runs and its report read them.

A suite is saved only when core.corpus.probe_suite.parse_suite reads it without error, so a study
never starts with a file that fails later; the parser's message (line, what to do) is what the
user sees. The same upload is saved once (its name carries a hash of its contents). No Streamlit.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from core import atomic
from core.corpus.probe_suite import ProbeTable, parse_suite
from core.errors import UserError
from explorer.corpora.upload import Upload
from explorer.jobs import suites_dir

SUFFIX = ".tsv"


def _stem(name: str) -> str:
    stem = Path(name).name.removesuffix(".gz").removesuffix(SUFFIX).removesuffix(".txt")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:40] or "suite"


def read_upload(upload: Upload) -> ProbeTable:
    """The suite of an uploaded file: the parser's UserError, naming the file, if it is not one."""
    try:
        text = upload.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{upload.name} is not UTF-8 text: a probe suite is a TSV text file") from None
    try:
        return parse_suite(text, _stem(upload.name))
    except UserError as err:
        raise UserError(f"{upload.name} is not a probe suite: {err}") from None


def save_suite(upload: Upload) -> Path:
    """Validate an uploaded suite and keep it; returns the saved file (the same upload, the same file)."""
    table = read_upload(upload)
    digest = hashlib.sha256(upload.data).hexdigest()[:8]
    path = suites_dir() / f"{table.name}-{digest}{SUFFIX}"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_with(path, lambda staged: staged.write_bytes(upload.data))  # whole or not at all
    return path


def saved_suites() -> list[Path]:
    """The suites saved before, newest first."""
    folder = suites_dir()
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and p.suffix == SUFFIX]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
