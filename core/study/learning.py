"""How each arm learns, over seeds: its learning curves as bands (core.study.curves.seed_band) and
the steps its seeds take to reach a dev BLEU threshold, a seed that never did kept as censored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.study.curves import SeedBand, StepsToThreshold, default_threshold, seed_band, steps_to_reach
from core.study.records import Runs, per_seed
from core.study.stats import estimate

CURVES = ("train_loss", "dev_ppl", "dev_bleu", "dev_chrf")  # core.study.curves.run_curves's names
DEFAULT_SOURCE = "90% of the lowest arm's final mean dev BLEU"


@dataclass(frozen=True)
class LearningCurves:
    """curve name -> arm -> the band over the arm's seeds."""

    curves: Mapping[str, Mapping[str, SeedBand]]

    def to_dict(self) -> dict:
        return {name: {arm: b.to_dict() for arm, b in arms.items()} for name, arms in self.curves.items()}

    @classmethod
    def from_dict(cls, d: dict) -> LearningCurves:
        return cls(
            {name: {arm: SeedBand.from_dict(b) for arm, b in arms.items()} for name, arms in d.items()}
        )


@dataclass(frozen=True)
class ThresholdSteps:
    """The steps each arm's seeds need to reach a dev BLEU threshold, and where the threshold came from."""

    threshold: float | None  # None: no arm has a dev BLEU
    source: str  # "given", or how the default was chosen
    arms: Mapping[str, StepsToThreshold]

    def to_dict(self) -> dict:
        arms = {arm: s.to_dict() for arm, s in self.arms.items()}
        return {"threshold": self.threshold, "source": self.source, "arms": arms}

    @classmethod
    def from_dict(cls, d: dict) -> ThresholdSteps:
        arms = {arm: StepsToThreshold.from_dict(s) for arm, s in d["arms"].items()}
        return cls(d["threshold"], d["source"], arms)


def curves(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> LearningCurves:
    """Bands over seeds of train_loss, dev_ppl, dev_bleu and dev_chrf."""
    return LearningCurves(
        {
            name: {arm: seed_band([c for c in per_seed(runs, arm, seeds, _curve(name)) if c]) for arm in arms}
            for name in CURVES
        }
    )


def threshold_steps(
    runs: Runs, arms: Sequence[str], seeds: Sequence[int], threshold: float | None
) -> ThresholdSteps:
    """The steps each arm needs to reach a dev BLEU threshold (default: 90% of the weakest arm's
    final mean dev BLEU), seed by seed, with the seeds that never reached it kept (censored) and a
    median over all seeds (core.study.curves.StepsToThreshold)."""
    bleu = {arm: per_seed(runs, arm, seeds, _curve("dev_bleu")) for arm in arms}
    source = "given"
    if threshold is None:
        finals = [estimate([list(c.values())[-1] if c else None for c in bleu[arm]]).mean for arm in arms]
        threshold, source = default_threshold(finals), DEFAULT_SOURCE
    found = {arm: [c for seed, c in zip(seeds, bleu[arm]) if (arm, seed) in runs] for arm in arms}
    return ThresholdSteps(
        threshold, source, {arm: steps_to_reach(arm, found[arm], threshold) for arm in arms}
    )


def _curve(name: str):
    return lambda record: record.curves.get(name)
