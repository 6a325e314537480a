"""Small helpers the subcommands share: reading sentence files and writing JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.corpus.normalize import normalize_text
from core.errors import UserError
from core.options import SEED


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
    except OSError as err:  # unreadable: permissions, a vanished file
        raise UserError(f"cannot read input {path}: {err.strerror or err}") from None
    lines = [normalize_text(line) for line in text.splitlines()]
    return lines


def note_cut_sources(run, sentences: list[str], command: str) -> None:
    """One note on stderr per sentence longer than the model reads (core.run.loaded.MAX_SOURCE_TOKENS):
    it is cut, not refused, and the user is told which."""
    from core.run.loaded import MAX_SOURCE_TOKENS

    for i, sentence in enumerate(sentences):
        n = len(run.src_tok.encode(sentence))
        if n > MAX_SOURCE_TOKENS:
            print(
                f"s2s {command}: note: line {i + 1}: only its first {MAX_SOURCE_TOKENS:,} tokens are read "
                f"(it has {n:,})",
                file=sys.stderr,
            )


def check_seed(seed: int) -> int:
    """NumPy, scikit-learn and UMAP take seeds from 0 to 2**32 - 1 (core.options.SEED)."""
    if not SEED.contains(seed):
        raise UserError(f"--seed must be {SEED.describe()}, not {seed}")
    return seed


def print_json(obj) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False))
