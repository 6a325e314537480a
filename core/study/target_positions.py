"""Test loss by target position over seeds (each run's from core.analysis.position_loss), each arm
minus forward position by position, and the early-against-late contrast with its exploratory
tests: does reversal help the first target words most, as Sutskever et al. 2014 (3.3) explain it?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.study.arms import BASELINE
from core.study.multiplicity import EXPLORATORY, Test
from core.study.records import Runs, per_seed
from core.study.stats import Band, Estimate, band, estimate, paired_difference

EARLY = 3  # "the first target words" of the paper's explanation: positions 1..3 against the rest


@dataclass(frozen=True)
class PositionDifference:
    """An arm minus forward at each position, paired by seed: the band of the differences and the
    seeds the arm did better in (a lower loss) at each."""

    band: Band
    wins: tuple[int, ...]

    def to_dict(self) -> dict:
        b = self.band
        return {
            "mean": list(b.mean),
            "low": list(b.low),
            "high": list(b.high),
            "wins": list(self.wins),
            "n": list(b.n),
        }

    @classmethod
    def from_dict(cls, d: dict) -> PositionDifference:
        return cls(Band.from_dict(d), tuple(d["wins"]))


@dataclass(frozen=True)
class EarlyVsLate:
    """Per seed, the arm's loss change (arm - forward) at positions 1..EARLY, at the later ones, and
    their contrast early - late; each a mean over seeds with its interval and t-test. A contrast
    below 0 says the arm helps the first target words more than the rest."""

    positions: int  # EARLY
    early: Estimate
    late: Estimate
    contrast: Estimate

    def to_dict(self) -> dict:
        parts = {"early": self.early, "late": self.late, "contrast": self.contrast}
        return {"positions": self.positions, **{name: e.to_dict() for name, e in parts.items()}}

    @classmethod
    def from_dict(cls, d: dict) -> EarlyVsLate:
        early, late, contrast = (Estimate.from_dict(d[k]) for k in ("early", "late", "contrast"))
        return cls(d["positions"], early, late, contrast)


@dataclass(frozen=True)
class PositionLoss:
    positions: tuple[int, ...]  # 1..P
    arms: Mapping[str, Band]  # arm -> loss per position over seeds
    vs_forward: Mapping[str, PositionDifference]  # every arm but forward
    early_vs_late: Mapping[str, EarlyVsLate]  # every arm but forward

    def to_dict(self) -> dict:
        return {
            "positions": list(self.positions),
            "arms": {arm: b.to_dict() for arm, b in self.arms.items()},
            "vs_forward": {arm: d.to_dict() for arm, d in self.vs_forward.items()},
            "early_vs_late": {arm: e.to_dict() for arm, e in self.early_vs_late.items()},
        }

    @classmethod
    def from_dict(cls, d: dict) -> PositionLoss:
        arms = {arm: Band.from_dict(b) for arm, b in d["arms"].items()}
        vs_forward = {arm: PositionDifference.from_dict(v) for arm, v in d["vs_forward"].items()}
        early = {arm: EarlyVsLate.from_dict(e) for arm, e in d["early_vs_late"].items()}
        return cls(tuple(d["positions"]), arms, vs_forward, early)


def position_loss(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> tuple[PositionLoss, list[Test]]:
    """Test loss at target positions 1..P per arm, each arm minus forward position by position, and
    the early-against-late contrast with its exploratory tests."""
    loss = {arm: per_seed(runs, arm, seeds, _loss) for arm in arms}
    width = max((len(v) for values in loss.values() for v in values if v), default=0)
    bands, vs_forward, contrasts, tests = {}, {}, {}, []
    for arm in arms:
        bands[arm] = band([v for v in loss[arm] if v is not None])
        if arm == BASELINE:
            continue
        at = [[None if v is None else v[p] for v in loss[arm]] for p in range(width)]
        base = [[None if v is None else v[p] for v in loss[BASELINE]] for p in range(width)]
        diffs = [paired_difference(a, b, "lower") for a, b in zip(at, base)]
        estimates = [d.estimate for d in diffs]
        differences = Band(*(tuple(getattr(e, k) for e in estimates) for k in ("mean", "low", "high", "n")))
        vs_forward[arm] = PositionDifference(differences, tuple(d.wins for d in diffs))
        contrasts[arm] = section = early_vs_late(loss[arm], loss[BASELINE])
        for part, what in (
            ("early", f"positions 1-{EARLY}"),
            ("contrast", f"positions 1-{EARLY} against later"),
        ):
            e = getattr(section, part)
            key, text = f"position.{part}:{arm}-{BASELINE}", f"test loss change at {what}, {arm} - {BASELINE}"
            tests.append(Test(key, EXPLORATORY, e.mean, e.p, what=text))
    return PositionLoss(tuple(range(1, width + 1)), bands, vs_forward, contrasts), tests


def _loss(record) -> tuple[float | None, ...] | None:
    found = record.measure.position_loss
    return None if found is None else found.loss


def _mean(values: list) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def early_vs_late(arm: Sequence, baseline: Sequence) -> EarlyVsLate:
    """Per seed's loss by position of an arm and of forward (None: no run) -> EarlyVsLate."""
    early, late = [], []
    for a, b in zip(arm, baseline):
        if a is None or b is None:
            continue
        diff = [x - y if x is not None and y is not None else None for x, y in zip(a, b)]
        early.append(_mean(diff[:EARLY]))
        late.append(_mean(diff[EARLY:]))
    contrast = [e - v for e, v in zip(early, late) if e is not None and v is not None]
    return EarlyVsLate(EARLY, estimate(early), estimate(late), estimate(contrast))
