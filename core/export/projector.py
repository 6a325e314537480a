"""The sentences of an Embedding Projector set and their metadata: a probe suite (every variant of
every family, tagged) or a file of sentences.

TensorBoard's projector reads metadata.tsv: a header row when there are two or more columns, one
row per point. A tab or line break inside a cell would shift the columns, so cells have them
replaced by spaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.analysis.suites import ProbeTable
from core.errors import UserError

SENTENCE = "sentence"  # the first metadata column: the sentence itself


def _cell(text: str) -> str:
    return " ".join(str(text).replace("\t", " ").splitlines()) or "-"


@dataclass(frozen=True)
class ProjectorSet:
    """Sentences to encode, each with one metadata row (header[0] is "sentence")."""

    name: str  # the tensor's name in the projector
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # one per sentence, aligned with header

    def __post_init__(self):
        if not self.rows:
            raise UserError(f"the projector set {self.name} has no sentences")
        if any(len(row) != len(self.header) for row in self.rows):
            raise UserError(f"the projector set {self.name}: one metadata cell per column and sentence")

    @property
    def sentences(self) -> list[str]:
        return [row[0] for row in self.rows]

    def metadata(self) -> tuple[list, list[str] | None]:
        """(rows, header) as the projector wants them: a single column has no header row."""
        if len(self.header) == 1:
            return [_cell(row[0]) for row in self.rows], None
        return [[_cell(cell) for cell in row] for row in self.rows], list(self.header)

    @classmethod
    def from_suite(cls, table: ProbeTable) -> ProjectorSet:
        """Every variant of every family: sentence, family, variant (its column), then its tags."""
        rows = []
        for i, (family, sentences) in enumerate(zip(table.families, table.rows)):
            tags = table.tags[i] if table.tag_names else ()
            rows += [(sentence, family, column, *tags) for column, sentence in zip(table.columns, sentences)]
        return cls(table.name, (SENTENCE, "family", "variant", *table.tag_names), tuple(rows))

    @classmethod
    def from_sentences(cls, name: str, sentences: list[str]) -> ProjectorSet:
        kept = tuple((s,) for s in sentences if s.strip())
        if not kept:
            raise UserError(f"{name}: no sentences to embed (the file is empty)")
        return cls(name, (SENTENCE,), kept)
