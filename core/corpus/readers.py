"""Read parallel corpora into normalised (source, target) pairs.

Two formats: a TSV with one pair per line (`src<TAB>tgt`, extra columns ignored, as in the
Tatoeba/manythings files) and Moses-style two line-aligned files (Multi30k, WMT). Either may be
gzip-compressed; gzip is recognised by its magic bytes, not the suffix. Every problem a user can
cause raises `UserError` naming the file (and the line where there is one) and what to do.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

from core.corpus.normalize import normalize_text
from core.errors import UserError

Pair = tuple[str, str]

_GZIP_MAGIC = b"\x1f\x8b"
_BINARY_PROBE = 8192  # a NUL this early means a binary file (image, pickle, executable); later, damage
# Formats users hand us by mistake; gzip is the only compression we open ourselves.
_ARCHIVE_MAGIC = {
    b"PK\x03\x04": "a zip archive",
    b"PK\x05\x06": "a zip archive",
    b"7z\xbc\xaf\x27\x1c": "a 7z archive",
    b"\xfd7zXZ\x00": "an xz archive",
    b"BZh": "a bzip2 archive",
    b"\x28\xb5\x2f\xfd": "a zstd archive",
    b"Rar!\x1a\x07": "a rar archive",
    b"%PDF": "a PDF document",
}


@dataclass(frozen=True)
class ReadReport:
    """What reading a corpus did, for the Data page."""

    n_lines: int  # lines in the file (Moses: in each file)
    n_pairs: int  # pairs returned
    n_empty_dropped: int  # lines dropped because a side was empty after normalisation


def read_tsv(path: str | Path) -> list[Pair]:
    """Read `src<TAB>tgt` lines (extra columns ignored) into normalised pairs."""
    return read_tsv_with_report(path)[0]


def read_moses(src_path: str | Path, tgt_path: str | Path) -> list[Pair]:
    """Read two line-aligned files (line i of each is a translation pair)."""
    return read_moses_with_report(src_path, tgt_path)[0]


def read_parallel(path: str | Path, tgt_path: str | Path | None = None) -> list[Pair]:
    """One path: a TSV; two paths: a Moses pair (source file, target file)."""
    return read_parallel_with_report(path, tgt_path)[0]


def read_parallel_with_report(
    path: str | Path, tgt_path: str | Path | None = None
) -> tuple[list[Pair], ReadReport]:
    if tgt_path is None:
        return read_tsv_with_report(path)
    return read_moses_with_report(path, tgt_path)


def read_tsv_with_report(path: str | Path) -> tuple[list[Pair], ReadReport]:
    path = Path(path)
    lines = _read_lines(path)
    pairs: list[Pair] = []
    n_empty = 0
    for number, line in enumerate(lines, start=1):
        columns = line.split("\t", 2)
        if len(columns) < 2:
            if not line.strip():  # a blank line: nothing to pair, not a format error
                n_empty += 1
                continue
            raise UserError(
                f"{path} line {number} has no TAB: a TSV corpus needs `source<TAB>target` on "
                f"every line (for two separate files, give the source and the target file)"
            )
        source, target = normalize_text(columns[0]), normalize_text(columns[1])
        if source and target:
            pairs.append((source, target))
        else:
            n_empty += 1
    _require_pairs(pairs, str(path), len(lines))
    return pairs, ReadReport(n_lines=len(lines), n_pairs=len(pairs), n_empty_dropped=n_empty)


def read_moses_with_report(src_path: str | Path, tgt_path: str | Path) -> tuple[list[Pair], ReadReport]:
    src_path, tgt_path = Path(src_path), Path(tgt_path)
    src_lines, tgt_lines = _read_lines(src_path), _read_lines(tgt_path)
    if len(src_lines) != len(tgt_lines):
        raise UserError(
            f"{src_path} has {len(src_lines)} lines but {tgt_path} has {len(tgt_lines)}: "
            f"the two files of a Moses corpus must be line-aligned (line i of each is one pair)"
        )
    pairs: list[Pair] = []
    n_empty = 0
    for src_line, tgt_line in zip(src_lines, tgt_lines):
        source, target = normalize_text(src_line), normalize_text(tgt_line)
        if source and target:
            pairs.append((source, target))
        else:
            n_empty += 1
    _require_pairs(pairs, f"{src_path} + {tgt_path}", len(src_lines))
    return pairs, ReadReport(n_lines=len(src_lines), n_pairs=len(pairs), n_empty_dropped=n_empty)


def _require_pairs(pairs: list[Pair], name: str, n_lines: int) -> None:
    if not pairs:
        what = "is empty" if n_lines == 0 else f"has {n_lines} lines but none with text on both sides"
        raise UserError(f"{name} {what}: no usable sentence pairs; check that it is the right file")


def _read_lines(path: Path) -> list[str]:
    """The file's lines as text, without line endings (LF, CRLF or CR); a final newline adds none."""
    data = _read_bytes(path)
    if data.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise UserError(
                f"{path} is a corrupt or truncated gzip file ({err}): download or compress it again "
                f"(`gzip -t {path}` checks it)"
            ) from None
    return split_lines(_decode(path, data))


def split_lines(text: str) -> list[str]:
    """Text -> its lines without endings (LF, CRLF, or CR in a file without LF); a final newline
    adds none. Every text format we read (corpora, probe suites) is cut into lines here."""
    if "\r" in text:
        # CRLF (Windows) or, in a file without any LF, bare CR (classic Mac). A stray CR inside an
        # LF line stays (normalisation makes it a space): splitting there would misalign Moses files.
        text = text.replace("\r\n", "\n") if "\n" in text else text.replace("\r", "\n")
    if not text:
        return []
    lines = text.split("\n")  # not splitlines(): U+2028, U+0085 etc. inside a line must not split it
    if lines[-1] == "":
        lines.pop()
    return lines


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise UserError(f"{path} is a folder: give a corpus file (a TSV, or a source and a target file)")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path} not found: check the path") from None
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror or err}") from None


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{path} is UTF-16 text: convert it with iconv -f utf-16 -t utf-8")
    for magic, kind in _ARCHIVE_MAGIC.items():
        if data.startswith(magic):
            raise UserError(f"{path} is binary ({kind}): extract the text corpus from it and give that file")
    nul = data.find(b"\x00")  # memchr over the whole file: cheap next to decoding it
    if 0 <= nul < _BINARY_PROBE:
        raise UserError(
            f"{path} is binary (it contains NUL bytes), not a text corpus: give a UTF-8 text file"
        )
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise UserError(
            f"{path} has a NUL byte on line {line} (a damaged file?): remove it, e.g. tr -d '\\000'"
        )
    try:
        return data.decode("utf-8-sig")  # -sig: a leading BOM (Windows editors) is dropped
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise UserError(
            f"{path} is not UTF-8 text (line {line}): convert it with "
            f"iconv -f latin1 -t utf-8 {path} > {path.name}.utf8 (use its real encoding after -f)"
        ) from None
