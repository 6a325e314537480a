"""A run's probe records, read: what metrics.jsonl says of its probe suites over training.

The trainer (core/training/probe_scorer.py) writes, per suite, {"kind": "probe", "step", "suite",
"n", "margin", "low", "high", "win_rate", ...} at each dev evaluation, {"kind": "probe", "step",
"suite", "skipped"} for a suite the run's tokenizer could not read, and at step 0 the suite's
surface baselines ({"baseline": "bag_of_words", "margin", ...}). `ProbeLog.read` sorts them
into the three things a reader wants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def _probe(record: Mapping) -> bool:
    return record.get("kind", "probe") == "probe"


@dataclass(frozen=True)
class ProbeLog:
    curves: Mapping[str, tuple[Mapping, ...]]  # suite -> its scored records, in step order
    baselines: Mapping[str, Mapping[str, float]]  # suite -> {surface baseline: its margin}
    skipped: Mapping[str, str]  # suite -> why it was not scored

    @classmethod
    def read(cls, records: Sequence[Mapping]) -> ProbeLog:
        """From a run's metrics records (any kinds; suites in order of first appearance)."""
        curves: dict[str, list[Mapping]] = {}
        baselines: dict[str, dict[str, float]] = {}
        for r in records:
            if not _probe(r) or r.get("margin") is None:
                continue
            if r.get("baseline"):
                baselines.setdefault(r["suite"], {})[r["baseline"]] = r["margin"]
            else:
                curves.setdefault(r["suite"], []).append(r)
        return cls(
            curves={
                suite: tuple(sorted(points, key=lambda r: r["step"])) for suite, points in curves.items()
            },
            baselines=baselines,
            skipped={r["suite"]: r["skipped"] for r in records if _probe(r) and r.get("skipped")},
        )
