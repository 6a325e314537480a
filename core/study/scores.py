"""The report's scores: every arm's dev and test perplexity, BLEU and chrF over seeds, and each
arm against forward paired by seed, with a test per arm, split and metric (primary where
study.json declared "split.metric" primary, exploratory otherwise: core.study.multiplicity)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.study.arms import BASELINE
from core.study.metrics import METRICS, NAMES, SPLITS, comparison_key
from core.study.multiplicity import EXPLORATORY, PRIMARY, Test
from core.study.records import Runs, difference_test, per_seed
from core.study.stats import Difference, Estimate, estimate, paired_difference


@dataclass(frozen=True)
class MetricScores:
    """One metric of one split: every arm's value per seed, its estimate over seeds, and each arm
    minus forward paired by seed."""

    better: str  # "lower" | "higher"
    per_seed: Mapping[str, tuple[float | None, ...]]  # arm -> value per seed (None: no run)
    arms: Mapping[str, Estimate]
    vs_forward: Mapping[str, Difference]  # every arm but forward

    def to_dict(self) -> dict:
        return {
            "better": self.better,
            "per_seed": {arm: list(values) for arm, values in self.per_seed.items()},
            "arms": {arm: e.to_dict() for arm, e in self.arms.items()},
            "vs_forward": {arm: d.to_dict() for arm, d in self.vs_forward.items()},
        }

    @classmethod
    def from_dict(cls, d: dict) -> MetricScores:
        per_seed = {arm: tuple(values) for arm, values in d["per_seed"].items()}
        arms = {arm: Estimate.from_dict(e) for arm, e in d["arms"].items()}
        return cls(
            d["better"], per_seed, arms, {arm: Difference.from_dict(v) for arm, v in d["vs_forward"].items()}
        )


@dataclass(frozen=True)
class Scores:
    """split -> metric -> MetricScores, for the splits of core.study.metrics.SPLITS."""

    splits: Mapping[str, Mapping[str, MetricScores]]

    def metric(self, split: str, metric: str) -> MetricScores:
        return self.splits[split][metric]

    def to_dict(self) -> dict:
        return {split: {m: s.to_dict() for m, s in metrics.items()} for split, metrics in self.splits.items()}

    @classmethod
    def from_dict(cls, d: dict) -> Scores:
        return cls(
            {
                split: {m: MetricScores.from_dict(s) for m, s in metrics.items()}
                for split, metrics in d.items()
            }
        )


def scores(
    runs: Runs, arms: Sequence[str], seeds: Sequence[int], primary: Sequence[str]
) -> tuple[Scores, list[Test]]:
    """Every split and metric over seeds, and a test per arm, split and metric."""
    out, tests = {}, []
    for split in SPLITS:
        out[split] = {}
        for metric, better in METRICS.items():
            values = {arm: per_seed(runs, arm, seeds, _reader(split, metric)) for arm in arms}
            differences = {
                arm: paired_difference(values[arm], values[BASELINE], better)
                for arm in arms
                if arm != BASELINE
            }
            per_arm = {arm: tuple(v) for arm, v in values.items()}
            out[split][metric] = MetricScores(
                better, per_arm, {arm: estimate(v) for arm, v in values.items()}, differences
            )
            family = PRIMARY if f"{split}.{metric}" in primary else EXPLORATORY
            for arm, d in differences.items():
                what = f"{split} {NAMES[metric]}, {arm} - {BASELINE}"
                tests.append(difference_test(comparison_key(split, metric, arm, BASELINE), family, d, what))
    return Scores(out), tests


def _reader(split: str, metric: str):
    """A run's value of `metric` on `split` (None: the split was empty)."""

    def read(record) -> float | None:
        scored = getattr(record.measure, split)
        return None if scored is None else getattr(scored, metric)  # core.evaluation.TestScores

    return read
