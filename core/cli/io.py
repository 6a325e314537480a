"""Small helpers the subcommands share: reading sentence files and writing JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.corpus.normalize import normalize_text
from core.errors import UserError


def read_sentences(path: str | None) -> list[str]:
    """One sentence a line from a file (or stdin when path is None or "-"), normalised."""
    try:
        if path in (None, "-"):
            text = sys.stdin.read()
        else:
            p = Path(path)
            if p.is_dir():
                raise UserError(f"input {p} is a folder: give a text file, one sentence a line")
            if not p.is_file():
                raise UserError(f"input file {p} does not exist")
            text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise UserError(f"input {path or 'stdin'} is not UTF-8 text: convert it with iconv first") from err
    lines = [normalize_text(line) for line in text.splitlines()]
    return lines


def check_seed(seed: int) -> int:
    """NumPy, scikit-learn and UMAP take seeds from 0 to 2**32 - 1."""
    if not 0 <= seed < 2**32:
        raise UserError(f"--seed must be between 0 and 4294967295, not {seed}")
    return seed


def print_json(obj) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False))
