"""Test BLEU per source-length bucket over seeds (Sutskever et al. 2014, Figure 3), and each arm
minus forward bucket by bucket with an exploratory test (does reversal help more on longer
sentences? 3.7).

Every run is scored on the same test sentences, so the buckets are the same for all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.study.arms import BASELINE
from core.study.multiplicity import EXPLORATORY, Test
from core.study.records import Runs, difference_test, per_seed
from core.study.stats import Band, Difference, band, paired_difference


@dataclass(frozen=True)
class ByLength:
    buckets: tuple[str, ...]  # "1-7", "8-12", ... (source words)
    n: tuple[int, ...]  # test sentences in each bucket
    arms: Mapping[str, Band]  # arm -> BLEU per bucket over seeds
    vs_forward: Mapping[str, tuple[Difference, ...]]  # arm -> its paired difference per bucket

    def to_dict(self) -> dict:
        vs_forward = {arm: [d.to_dict() for d in rows] for arm, rows in self.vs_forward.items()}
        arms = {arm: b.to_dict() for arm, b in self.arms.items()}
        return {"buckets": list(self.buckets), "n": list(self.n), "arms": arms, "vs_forward": vs_forward}

    @classmethod
    def from_dict(cls, d: dict) -> ByLength:
        arms = {arm: Band.from_dict(b) for arm, b in d["arms"].items()}
        vs_forward = {
            arm: tuple(Difference.from_dict(r) for r in rows) for arm, rows in d["vs_forward"].items()
        }
        return cls(tuple(d["buckets"]), tuple(d["n"]), arms, vs_forward)


def by_length(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> tuple[ByLength, list[Test]]:
    """The section, and an exploratory test per arm and bucket."""
    tables = [r.measure.test.by_length for r in runs.values() if r.measure.test]
    buckets = [row.bucket for row in tables[0]] if tables else []
    rows = {}
    for arm in arms:
        found = per_seed(runs, arm, seeds, lambda r: r.measure.test.by_length if r.measure.test else None)
        rows[arm] = [
            None if table is None else [{r.bucket: r.bleu for r in table}.get(b) for b in buckets]
            for table in found
        ]
    vs_forward, tests = {}, []
    for arm in arms:
        if arm == BASELINE:
            continue
        differences = []
        for i, bucket in enumerate(buckets):
            a, b = ([None if r is None else r[i] for r in rows[name]] for name in (arm, BASELINE))
            d = paired_difference(a, b, "higher")
            differences.append(d)
            what = f"test BLEU of sources of {bucket} words, {arm} - {BASELINE}"
            tests.append(difference_test(f"by_length.{bucket}:{arm}-{BASELINE}", EXPLORATORY, d, what))
        vs_forward[arm] = tuple(differences)
    section = ByLength(
        tuple(buckets),
        tuple(row.n for row in tables[0]) if tables else (),
        {arm: band([r for r in rows[arm] if r is not None]) for arm in arms},
        vs_forward,
    )
    return section, tests
