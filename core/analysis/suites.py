"""Probe suites: families of minimal pairs, read from the TSV format of DESIGN.md.

    # a comment; "anchor=active positive=passive negative=swapped" in a comment sets the defaults
    family<TAB>active<TAB>passive<TAB>swapped
    1<TAB>John admires Mary<TAB>Mary is admired by John<TAB>Mary admires John

A header row whose first column is `family`, then any number (>= 2) of variant columns; one
row per family. The built-in suites come from the grammar corpus (core.corpus.grammar.probes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.corpus.normalize import normalize_text
from core.errors import UserError

BUILTIN_PREFIX = "builtin:"
MIN_FAMILIES = 2  # a mean and a bootstrap interval need at least two families
_DEFAULT = re.compile(r"\b(anchor|positive|negative)=(\S+)")


@dataclass(frozen=True)
class ProbeTable:
    name: str
    columns: tuple[str, ...]  # variant columns after "family"
    families: tuple[str, ...]  # family ids, one per row
    rows: tuple[tuple[str, ...], ...]  # sentences per family, aligned with columns
    description: str = ""
    default_anchor: str | None = None
    default_positive: str | None = None
    default_negative: str | None = None

    def column(self, name: str) -> list[str]:
        """The sentences of one variant column, family by family."""
        if name not in self.columns:
            raise UserError(
                f"suite {self.name} has no column {name!r}; its columns are: {', '.join(self.columns)}"
            )
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def sentences(self) -> list[str]:
        """Every sentence, family by family."""
        return [sentence for row in self.rows for sentence in row]

    def roles(
        self, anchor: str | None = None, positive: str | None = None, negative: str | None = None
    ) -> tuple[str, str, str]:
        """The (anchor, positive, negative) columns: as given, else the suite's defaults, else
        the first three columns."""
        chosen = []
        for i, (given, default) in enumerate(
            zip(
                (anchor, positive, negative),
                (self.default_anchor, self.default_positive, self.default_negative),
            )
        ):
            name = given or default or (self.columns[i] if i < len(self.columns) else None)
            if name is None:
                raise UserError(
                    f"suite {self.name} has only {len(self.columns)} variant columns: "
                    f"name the anchor, positive and negative columns"
                )
            self.column(name)  # a UserError naming the columns if it is not one
            chosen.append(name)
        if len(set(chosen)) < 3:
            raise UserError(f"anchor, positive and negative must be three different columns, not {chosen}")
        return chosen[0], chosen[1], chosen[2]

    def to_tsv(self) -> str:
        lines = [f"# {line}" for line in self.description.splitlines()]
        lines.append("\t".join(("family", *self.columns)))
        lines += ["\t".join((family, *row)) for family, row in zip(self.families, self.rows)]
        return "\n".join(lines) + "\n"


def parse_suite(text: str, name: str) -> ProbeTable:
    """TSV text -> ProbeTable; a UserError naming the line for anything malformed."""
    comments, header, families, rows = [], None, [], []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if line.lstrip().startswith("#"):
            comments.append(line.lstrip()[1:].strip())
            continue
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = _header(cells, name, number)
            continue
        if len(cells) != len(header):
            raise UserError(
                f"suite {name} line {number} has {len(cells)} columns, the header has {len(header)} "
                f"({', '.join(header)}): every family needs a sentence in each column, separated by TABs"
            )
        sentences = tuple(normalize_text(cell) for cell in cells[1:])
        if not cells[0] or not all(sentences):
            raise UserError(f"suite {name} line {number} has an empty cell: fill in every column")
        if cells[0] in families:
            raise UserError(f"suite {name} line {number}: family {cells[0]!r} appears twice")
        families.append(cells[0])
        rows.append(sentences)
    if header is None:
        raise UserError(f"suite {name} is empty: it needs a header `family<TAB>column...` and families")
    if len(rows) < MIN_FAMILIES:
        raise UserError(f"suite {name} has {len(rows)} families: a score needs at least {MIN_FAMILIES}")
    columns = tuple(header[1:])
    description = "\n".join(comments)
    defaults = {role: col for role, col in _DEFAULT.findall(description) if col in columns}
    return ProbeTable(
        name,
        columns,
        tuple(families),
        tuple(rows),
        description,
        defaults.get("anchor"),
        defaults.get("positive"),
        defaults.get("negative"),
    )


def _header(cells: list[str], name: str, number: int) -> list[str]:
    if cells[0].lower() != "family":
        raise UserError(
            f"suite {name} line {number}: the header must start with `family`, then the variant "
            f"columns (e.g. family<TAB>active<TAB>passive<TAB>swapped), not {cells[0]!r}"
        )
    if len(cells) < 3 or not all(cells[1:]):
        raise UserError(f"suite {name} line {number}: the header needs at least two named variant columns")
    if len(set(cells)) < len(cells):
        raise UserError(f"suite {name} line {number}: column names must be different, not {cells}")
    return cells


def read_suite(path: str | Path) -> ProbeTable:
    path = Path(path)
    if not path.is_file():
        what = "is a folder, not a suite file" if path.is_dir() else "does not exist"
        raise UserError(f"probe suite {path} {what} (or use builtin:NAME, NAME one of "
                        f"{', '.join(builtin_suites())})")  # fmt: skip
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise UserError(f"probe suite {path} is not UTF-8 text") from err
    return parse_suite(text, path.stem)


def builtin_suites() -> dict[str, ProbeTable]:
    """voice, fronting, bshift, tense (200 families each), figure2_left, figure2_right."""
    return dict(_builtin_tables())


@lru_cache(maxsize=1)
def _builtin_tables() -> dict[str, ProbeTable]:
    from core.corpus.grammar import build_probe_suites

    return {
        name: ProbeTable(
            name,
            suite.columns,
            tuple(str(i) for i in range(1, len(suite.rows) + 1)),
            suite.rows,
            suite.description,
            suite.default_anchor,
            suite.default_positive,
            suite.default_negative,
        )
        for name, suite in build_probe_suites().items()
    }


def load_suite(spec: str) -> ProbeTable:
    """ "builtin:voice" (or a bare built-in name) or the path of a TSV suite."""
    spec = str(spec)
    name = spec[len(BUILTIN_PREFIX) :] if spec.startswith(BUILTIN_PREFIX) else spec
    suites = builtin_suites()
    if name in suites and (spec.startswith(BUILTIN_PREFIX) or not Path(spec).exists()):
        return suites[name]
    if spec.startswith(BUILTIN_PREFIX):
        raise UserError(f"no built-in suite {name!r}; choose one of: {', '.join(suites)}")
    return read_suite(spec)
