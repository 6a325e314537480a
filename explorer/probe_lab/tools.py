"""Probe Lab: linear probes with control tasks, a nearest-neighbour browser and vector surgery."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import UserError
from explorer import cache

if TYPE_CHECKING:
    import pandas as pd

    from core.analysis.probe_scores import GeometryResult
    from core.analysis.surgery import OffsetEdit

# Which two columns a probe separates by default, per built-in suite (the property it names).
PROBE_PROPERTY = {
    "voice": ("active", "passive"),
    "tense": ("present", "past"),
    "bshift": ("original", "shifted"),
    "fronting": ("canonical", "fronted"),
}
OFFSETS = {  # suite -> (from column, to column, what the offset should change)
    "voice": ("active", "passive", "active → passive voice"),
    "tense": ("present", "past", "present → past tense"),
    "fronting": ("canonical", "fronted", "place phrase to the front"),
}


def linear_probe(run: Path, table, columns: tuple[str, str], state: str, layers: str) -> GeometryResult:
    path, mtime = cache.run_key(run)
    return cache.suite_geometry(path, mtime, cache.suite_key(table), table, columns, state, layers)


def neighbours(run: Path, queries: list[str], k: int, limit: int, state: str, layers: str) -> pd.DataFrame:
    """The k nearest dev/test sentences of each query, by cosine of the thought vectors: a table,
    one row per query and rank."""
    import pandas as pd

    if not queries:
        raise UserError("type a sentence to look up (one per line)")
    path, mtime = cache.run_key(run)
    index = cache.neighbour_index(path, mtime, limit, state, layers)
    found = index.query(queries, k=k)
    rows = [
        (q, rank, sentence, round(cos, 4))
        for q, hits in zip(queries, found)
        for rank, (sentence, cos) in enumerate(hits, start=1)
    ]
    return pd.DataFrame(rows, columns=["query", "rank", "neighbour", "cosine"])


def interpolation(run: Path, source: str, target: str, steps: int, beam: int) -> pd.DataFrame:
    """What each point of the line between the two sentences' states decodes to: a table."""
    import pandas as pd

    if not source.strip() or not target.strip():
        raise UserError("type both sentences: the line runs from the first to the second")
    path, mtime = cache.run_key(run)
    points = cache.interpolation(path, mtime, source.strip(), target.strip(), steps, beam)
    return pd.DataFrame([(round(p.alpha, 3), p.text) for p in points], columns=["alpha", "decoded"])


def offset(run: Path, suite: str, sentence: str, scale: float) -> OffsetEdit:
    if not sentence.strip():
        raise UserError("type a sentence to edit")
    source, target, _ = OFFSETS[suite]
    table = cache.builtin_suites()[suite]
    path, mtime = cache.run_key(run)
    return cache.offset_edit(
        path, mtime, cache.suite_key(table), table, sentence.strip(), scale, source, target
    )
