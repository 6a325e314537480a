"""Uploaded corpora: validated with the engine's readers, then kept under $S2S_DATA_DIR.

A corpus is saved only when `core.corpus.readers` reads it without error, so Train never gets a
file that fails later; the engine's message (file, line, what to do) is what the user sees.
No Streamlit here.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.corpus.readers import read_parallel_with_report
from core.corpus.spec import GRAMMAR_PAIRS as GRAMMAR_PAIRS  # the Data page's bounds, declared in core
from core.corpus.spec import MAX_GRAMMAR_PAIRS as MAX_GRAMMAR_PAIRS
from core.corpus.spec import MIN_GRAMMAR_PAIRS as MIN_GRAMMAR_PAIRS
from core.corpus.spec import DataSpec
from core.errors import UserError
from explorer.jobs import SUITE_UPLOADS, data_dir


@dataclass(frozen=True)
class Upload:
    name: str  # the file name the user chose
    data: bytes


def _safe_name(name: str) -> str:
    stem = Path(name).name
    for suffix in (".gz", ".tsv", ".txt", ".tab"):
        stem = stem.removesuffix(suffix)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "corpus"
    return stem[:40]


def _safe_file(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).name).strip("-") or "corpus.tsv"


def corpus_id(files: list[Upload]) -> str:
    """A folder name: the first file's stem and a hash of the contents (same upload, same folder)."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.data)
    return f"{_safe_name(files[0].name)}-{digest.hexdigest()[:8]}"


def spec_of(folder: Path) -> str:
    """The --data spec of a saved corpus folder (one TSV, or a source and a target file)."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    order = folder / ".order"
    if order.is_file():
        files = [folder / n for n in order.read_text(encoding="utf-8").split("\n") if n]
    if len(files) == 1:
        return str(files[0])
    if len(files) == 2:
        return DataSpec.pair(*files).text
    raise UserError(f"{folder} should hold one TSV or a source and a target file")


def spec_files(spec: str) -> tuple[str, str | None]:
    """A saved corpus's spec -> (TSV or source file, target file or None)."""
    paths = DataSpec.parse(spec).paths
    return paths[0], (paths[1] if len(paths) == 2 else None)


def grammar_spec(n_pairs: int) -> str:
    """The --data spec of the built-in corpus of `n_pairs` pairs (for the Data page)."""
    return DataSpec.grammar(n_pairs).text


def save_upload(source: Upload, target: Upload | None = None) -> str:
    """Validate an upload (a TSV, or a Moses source + target) and keep it; returns its --data spec.

    Raises the engine's UserError (naming the uploaded file) and saves nothing when the files are
    not a corpus.
    """
    files = [source] if target is None else [source, target]
    if target is not None and _safe_file(source.name) == _safe_file(target.name):
        raise UserError("the source and the target file have the same name: rename one of them")
    folder = data_dir() / corpus_id(files)
    if folder.is_dir():
        return spec_of(folder)  # the same upload was validated and saved before
    folder.parent.mkdir(parents=True, exist_ok=True)
    # staged next to its final place, so the rename below is atomic (same file system)
    with tempfile.TemporaryDirectory(prefix=".upload-", dir=folder.parent) as tmp:
        stage = Path(tmp) / folder.name
        stage.mkdir()
        paths = []
        for f in files:
            path = stage / _safe_file(f.name)
            path.write_bytes(f.data)
            paths.append(path)
        try:
            read_parallel_with_report(*paths)
        except UserError as err:  # name the user's files, not the temporary folder
            raise UserError(str(err).replace(f"{stage}/", "")) from None
        (stage / ".order").write_text("\n".join(p.name for p in paths) + "\n", encoding="utf-8")
        try:
            os.replace(stage, folder)  # whole or not at all: the folder appears complete
        except OSError:
            if not folder.is_dir():
                raise  # not the same upload saved meanwhile by another tab
    return spec_of(folder)


def saved_corpora() -> dict[str, str]:
    """Saved uploads: folder name -> --data spec, newest first."""
    root = data_dir()
    if not root.is_dir():
        return {}
    out = {}
    for folder in sorted(root.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        if folder.is_dir() and not folder.name.startswith(".") and folder.name != SUITE_UPLOADS:
            try:
                out[folder.name] = spec_of(folder)
            except UserError:
                continue
    return out
