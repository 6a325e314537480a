"""What a report keeps of each finished run, and one value of it read across an arm's seeds.

Every section of the report (scores, learning, by_length, target_positions, probe_margins) reads its
numbers from these records; a run that is not finished has no record, and its seed is left out of
that arm's numbers (and of the pairs it would join).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from core.study.curves import Curve
from core.study.measure import RunMeasure
from core.study.multiplicity import Test
from core.study.stats import Difference

T = TypeVar("T")


@dataclass(frozen=True)
class RunRecord:
    """One finished run: its measurements (core.study.measure) and its curves from metrics.jsonl
    (core.study.curves: run_curves, probe_curves)."""

    measure: RunMeasure
    curves: Mapping[str, Curve]  # train_loss, dev_ppl, dev_bleu, dev_chrf
    probe_curves: Mapping[str, Curve]  # suite -> margin over training ({}: no probe records)


Runs = Mapping[tuple[str, int], RunRecord]  # (arm, seed) -> the run's record


def per_seed(
    runs: Runs, arm: str, seeds: Sequence[int], read: Callable[[RunRecord], T | None]
) -> list[T | None]:
    """read(record) of the arm's run in each seed; None where the run is missing."""
    return [read(runs[arm, seed]) if (arm, seed) in runs else None for seed in seeds]


def difference_test(key: str, family: str, difference: Difference, what: str) -> Test:
    """The test of a paired difference (its t-test's p), unadjusted."""
    return Test(key, family, difference.estimate.mean, difference.estimate.p, what=what)
