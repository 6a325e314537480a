"""A probe suite: families of minimal pairs, and its TSV format (one parser, one writer here).

    # a comment; "anchor=active positive=passive negative=swapped" in a comment sets the defaults
    family<TAB>active<TAB>passive<TAB>swapped<TAB>tag:verb
    1<TAB>John admires Mary<TAB>Mary is admired by John<TAB>Mary admires John<TAB>admire

A header row whose first column is `family`, then any number (>= 2) of variant columns; one
row per family. Columns named `tag:NAME` are not sentences but tags of the family (e.g. its
construction or verb), by which a score can be split (`s2s probe --by NAME`) and its interval
clustered (`s2s probe --cluster NAME`); they may stand anywhere after `family` and are written
last. A tag value "John|Mary" puts the family in two clusters of that tag (its two participants).
A comment `cluster=verb,people` declares the suite's design: the tags whose families are not
independent draws, resampled together by default (core.analysis.bootstrap). A suite without tag
columns is as valid.

Plain data, no model: the built-in grammar builds its suites with it (core.corpus.grammar), and
the analyses score them (core.analysis.suites finds a suite by name or path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.corpus.normalize import normalize_text
from core.corpus.readers import split_lines
from core.errors import UserError

TAG_PREFIX = "tag:"  # a header cell `tag:verb` names the tag column "verb"
MULTI = "|"  # a tag value "John|Mary" places the family in two clusters of one tag
MIN_FAMILIES = 2  # a mean and a bootstrap interval need at least two families
_DEFAULT = re.compile(r"\b(anchor|positive|negative)=(\S+)")
_CLUSTER = re.compile(r"\bcluster=(\S+)")


def words(sentence: str) -> list[str]:
    """A probe sentence's words as the surface baselines count them: lowercased, split on whitespace
    (the grammar's sentences are already tokenised: "In the garden , I gave her a card")."""
    return sentence.lower().split()


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
    tag_names: tuple[str, ...] = ()  # tag columns (without the "tag:" prefix)
    tags: tuple[tuple[str, ...], ...] = ()  # tag values per family, aligned with tag_names
    default_cluster: tuple[str, ...] = ()  # the design's tags, resampled together by default (): families

    def __post_init__(self):
        if len(self.rows) != len(self.families) or any(len(r) != len(self.columns) for r in self.rows):
            raise UserError(f"suite {self.name}: one row of {len(self.columns)} sentences per family")
        if len(self.tags) != (len(self.families) if self.tag_names else 0) or any(
            len(t) != len(self.tag_names) for t in self.tags
        ):
            raise UserError(f"suite {self.name}: one value per tag ({', '.join(self.tag_names)}) per family")
        if len(set(self.tag_names)) < len(self.tag_names) or set(self.tag_names) & set(self.columns):
            raise UserError(f"suite {self.name}: tag names must differ from each other and from the columns")
        unknown = [t for t in self.default_cluster if t not in self.tag_names]
        if unknown:
            raise UserError(
                f"suite {self.name}: its cluster= comment names {unknown[0]!r}, which is not one of "
                f"its tags ({', '.join(self.tag_names) or 'none'})"
            )

    def tag(self, name: str) -> list[str]:
        """The values of one tag, family by family."""
        if name not in self.tag_names:
            have = f"its tags are: {', '.join(self.tag_names)}" if self.tag_names else "it has no tags"
            raise UserError(f"suite {self.name} has no tag {name!r}; {have}")
        i = self.tag_names.index(name)
        return [values[i] for values in self.tags]

    @property
    def split_tags(self) -> tuple[str, ...]:
        """The tags a score can be split by: one value per family (a "John|Mary" tag clusters, it
        does not group)."""
        return tuple(name for name in self.tag_names if not any(MULTI in value for value in self.tag(name)))

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
        """The suite file: comment lines, the header, one line per family (tags last)."""
        # split("\n"), as parse_suite reads it: splitlines() would drop a last empty comment
        lines = [f"# {line}" for line in self.description.split("\n")] if self.description else []
        lines.append("\t".join(("family", *self.columns, *(TAG_PREFIX + t for t in self.tag_names))))
        tags = self.tags or [()] * len(self.rows)
        lines += ["\t".join((f, *row, *t)) for f, row, t in zip(self.families, self.rows, tags)]
        return "\n".join(lines) + "\n"


def parse_suite(text: str, name: str) -> ProbeTable:
    """TSV text -> ProbeTable; a UserError naming the line for anything malformed."""
    comments, header, families, rows, tags = [], None, [], [], []
    variant: list[int] = []  # header positions of the sentence columns
    tagged: list[int] = []  # header positions of the tag columns
    for number, line in enumerate(split_lines(text.lstrip("\ufeff")), start=1):
        if line.lstrip().startswith("#"):
            comments.append(line.lstrip()[1:].strip())
            continue
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = _header(cells, name, number)
            tagged = [i for i, cell in enumerate(header) if cell.startswith(TAG_PREFIX)]
            variant = [i for i in range(1, len(header)) if i not in tagged]
            continue
        if len(cells) != len(header):
            raise UserError(
                f"suite {name} line {number} has {len(cells)} columns, the header has {len(header)} "
                f"({', '.join(header)}): every family needs a sentence in each column, separated by TABs"
            )
        sentences = tuple(normalize_text(cells[i]) for i in variant)
        values = tuple(cells[i] for i in tagged)
        if not cells[0] or not all(sentences) or not all(values):
            raise UserError(f"suite {name} line {number} has an empty cell: fill in every column")
        if cells[0] in families:
            raise UserError(f"suite {name} line {number}: family {cells[0]!r} appears twice")
        families.append(cells[0])
        rows.append(sentences)
        tags.append(values)
    if header is None:
        raise UserError(f"suite {name} is empty: it needs a header `family<TAB>column...` and families")
    if len(rows) < MIN_FAMILIES:
        raise UserError(f"suite {name} has {len(rows)} families: a score needs at least {MIN_FAMILIES}")
    columns = tuple(header[i] for i in variant)
    tag_names = tuple(header[i][len(TAG_PREFIX) :] for i in tagged)
    description = "\n".join(comments)
    defaults = {role: col for role, col in _DEFAULT.findall(description) if col in columns}
    cluster = _CLUSTER.findall(description)
    return ProbeTable(
        name,
        columns,
        tuple(families),
        tuple(rows),
        description,
        defaults.get("anchor"),
        defaults.get("positive"),
        defaults.get("negative"),
        tag_names,
        tuple(tags) if tag_names else (),
        tuple(t for t in cluster[-1].split(",") if t) if cluster else (),
    )


def _header(cells: list[str], name: str, number: int) -> list[str]:
    if cells[0].lower() != "family":
        raise UserError(
            f"suite {name} line {number}: the header must start with `family`, then the variant "
            f"columns (e.g. family<TAB>active<TAB>passive<TAB>swapped), not {cells[0]!r}"
        )
    tags = [cell for cell in cells[1:] if cell.startswith(TAG_PREFIX)]
    if len(cells) - len(tags) < 3 or not all(cells[1:]) or TAG_PREFIX in tags:
        raise UserError(
            f"suite {name} line {number}: the header needs at least two named variant columns "
            f"(and a name after each {TAG_PREFIX!r})"
        )
    if len(set(cells)) < len(cells):
        raise UserError(f"suite {name} line {number}: column names must be different, not {cells}")
    return cells
