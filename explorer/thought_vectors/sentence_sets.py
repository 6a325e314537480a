"""The sentences a thought-vector map shows, with their colour groups and the lines between them.

Three sources: the paper's Figure 2 phrase sets, groups typed by the user (one block per group,
blank lines between blocks), and probe suites (the TSV of docs/ARCHITECTURE.md: families of
minimal pairs). In a suite, each family's anchor is joined to its paraphrases (solid lines) and to
its swap (the negative: dashed). No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.corpus.probe_suite import ProbeTable, parse_suite
from core.errors import UserError

MAX_SENTENCES = 2000  # a map of more points is slow to draw and hard to read
PARAPHRASE, SWAP = "paraphrase", "swap"


@dataclass(frozen=True)
class SentenceSet:
    name: str
    sentences: tuple[str, ...]  # distinct, in order of first appearance
    groups: tuple[str, ...]  # one colour group per sentence
    families: tuple[str, ...]  # the family (or block) each sentence first appeared in
    columns: tuple[str, ...]  # the suite column (or "block") of that first appearance
    links: tuple[tuple[int, int, str], ...] = ()  # (anchor index, other index, PARAPHRASE | SWAP)
    table: ProbeTable | None = field(default=None, compare=False)  # for probe scores
    note: str = ""  # what the page must tell the user (e.g. that pasted sentences were cut)

    def group_of(self, colour_by: str) -> tuple[str, ...]:
        """Colours: "group" (meaning or block), "column" or "family"."""
        return {"group": self.groups, "column": self.columns, "family": self.families}[colour_by]


def is_suite_text(text: str) -> bool:
    """Pasted text in the probe-suite TSV format (first real line starts with `family<TAB>`)?"""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.split("\t", 1)[0].strip().lower() == "family" and "\t" in line
    return False


def from_blocks(text: str, name: str = "typed") -> SentenceSet:
    """One group per block of lines (blocks separated by blank lines); a block's first sentence
    is joined to the others. TSV text in the probe-suite format is read as a suite instead."""
    if is_suite_text(text):
        return from_table(parse_suite(text, name))
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(" ".join(line.split()))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if not blocks:
        raise UserError("type some sentences: one per line, a blank line between groups")
    index: dict[str, int] = {}
    groups, families, links = [], [], []
    for b, block in enumerate(blocks, start=1):
        for sentence in block:
            if sentence not in index:
                index[sentence] = len(index)
                groups.append(f"group {b}")
                families.append(str(b))
        links += [(index[block[0]], index[s], PARAPHRASE) for s in block[1:] if s != block[0]]
    sentences, note = tuple(index), ""
    if len(sentences) > MAX_SENTENCES:  # a bounded map of what was pasted first, and a note saying so
        note = f"{len(sentences):,} different sentences pasted: the map shows the first {MAX_SENTENCES:,}."
        sentences, groups, families = (x[:MAX_SENTENCES] for x in (sentences, groups, families))
        links = [link for link in links if max(link[:2]) < MAX_SENTENCES]
    return SentenceSet(
        name, sentences, tuple(groups), tuple(families), ("block",) * len(sentences), tuple(links), note=note
    )


def from_table(table: ProbeTable, max_families: int | None = None) -> SentenceSet:
    """A probe suite: points are its distinct sentences; groups are meaning clusters (sentences
    joined by paraphrase links), so Figure 2's "who did what to whom" shows as two colours."""
    anchor, _, negative = table.roles()
    rows = list(zip(table.families, table.rows))[:max_families]
    index: dict[str, int] = {}
    families, columns, links = [], [], []
    for family, row in rows:
        for column, sentence in zip(table.columns, row):
            if sentence not in index:
                index[sentence] = len(index)
                families.append(family)
                columns.append(column)
        cells = dict(zip(table.columns, row))
        for column, sentence in cells.items():
            if column != anchor and sentence != cells[anchor]:
                kind = SWAP if column == negative else PARAPHRASE
                links.append((index[cells[anchor]], index[sentence], kind))
    _check_size(len(index))
    links = _distinct(links)
    sentences = tuple(index)
    groups = _meaning_groups(list(sentences), links)
    return SentenceSet(table.name, sentences, groups, tuple(families), tuple(columns), tuple(links), table)


def _distinct(links: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One line per pair of points (a family's swap is often another family's anchor)."""
    seen: set[frozenset] = set()
    out = []
    for i, j, kind in links:
        if frozenset((i, j)) not in seen:
            seen.add(frozenset((i, j)))
            out.append((i, j, kind))
    return out


def _meaning_groups(sentences: list[str], links: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """Connected components of the paraphrase links (union-find), named by their first sentence."""
    n = len(sentences)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, kind in links:
        if kind == PARAPHRASE:
            parent[root(j)] = root(i)
    first: dict[int, int] = {}
    for i in range(n):
        first.setdefault(root(i), i)
    return tuple(f"≈ {sentences[first[root(i)]]}" for i in range(n))


def _check_size(n: int) -> None:
    if n > MAX_SENTENCES:
        raise UserError(f"{n:,} sentences: a map shows at most {MAX_SENTENCES:,}; show fewer families")


def figure2_sets(suites: Mapping[str, ProbeTable]) -> list[SentenceSet]:
    """The paper's two panels: left (meaning and word order) and right (voice and fronting)."""
    return [from_table(suites["figure2_left"]), from_table(suites["figure2_right"])]
