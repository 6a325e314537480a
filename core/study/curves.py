"""Learning curves from metrics.jsonl, on a step grid shared by the seeds of an arm.

A resumed run repeats the steps between its last checkpoint and the moment it was stopped;
the last record of a step wins (it is the one the finished run continued from). Probe records
({"kind": "probe", "step", "suite", "margin", "low", "high"}, written at each dev evaluation)
give the probe margins over training; runs trained before they existed simply have none.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.run.folder import read_metrics
from core.run.probe_log import ProbeLog
from core.study.stats import Band, band

Curve = dict[int, float]  # step -> value


def curve(records: Sequence[dict], key: str) -> Curve:
    """Records of one kind -> {step: value of `key`} (last record per step; missing values left out)."""
    out: Curve = {}
    for rec in records:
        value = rec.get(key)
        if isinstance(rec.get("step"), int) and isinstance(value, (int, float)):
            out[rec["step"]] = float(value)
    return dict(sorted(out.items()))


def run_curves(run: str | Path) -> dict[str, Curve]:
    """The curves a report draws: train_loss, dev_ppl, dev_bleu, dev_chrf."""
    train, dev = read_metrics(run, "train"), read_metrics(run, "dev")
    return {
        "train_loss": curve(train, "loss"),
        "dev_ppl": curve(dev, "ppl"),
        "dev_bleu": curve(dev, "bleu"),
        "dev_chrf": curve(dev, "chrf"),
    }


def probe_curves(run: str | Path) -> dict[str, Curve]:
    """{suite: {step: margin}} from the run's probe records ({} for a run without any)."""
    scored = ProbeLog.read(read_metrics(run, "probe")).curves  # a baseline is not the model's
    return {suite: curve(records, "margin") for suite, records in sorted(scored.items())}


@dataclass(frozen=True)
class SeedBand:
    """The curves of an arm's seeds on the union of their steps: a Band over seeds at each step."""

    steps: tuple[int, ...]
    band: Band

    def to_dict(self) -> dict:
        return {"steps": list(self.steps), **self.band.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> SeedBand:
        return cls(tuple(d["steps"]), Band.from_dict(d))


def seed_band(curves: Sequence[Curve]) -> SeedBand:
    """The curves of an arm's seeds -> their SeedBand on the union of their steps."""
    steps = sorted({step for c in curves for step in c})
    return SeedBand(tuple(steps), band([[c.get(step) for step in steps] for c in curves]))


def steps_to_threshold(bleu: Curve, threshold: float) -> int | None:
    """The first evaluated step at which dev BLEU reaches `threshold` (None: never)."""
    return next((step for step, value in bleu.items() if value >= threshold), None)


def default_threshold(final_bleu_means: Sequence[float | None], share: float = 0.9) -> float | None:
    """90% of the lowest arm's final mean dev BLEU: a level every arm reaches on average, so the
    steps to it compare speeds, not end points. None when no arm has a dev BLEU."""
    known = [v for v in final_bleu_means if v is not None]
    return round(share * min(known), 2) if known else None


@dataclass(frozen=True)
class StepsToThreshold:
    """How many steps each seed of an arm took to reach a dev BLEU, with "not reached by step S"
    kept (censored), never dropped: the median is over every seed, a censored one counting as
    later than any step."""

    arm: str
    per_seed: tuple[int | None, ...]  # the step it was reached at, or None
    last_step: tuple[int | None, ...]  # each seed's last evaluated step (None: no dev evaluation)

    @property
    def reached(self) -> int:
        return sum(s is not None for s in self.per_seed)

    @property
    def median(self) -> float | None:
        """The median over all seeds (None when the middle seed never reached it, or no seeds)."""
        ranked = sorted(math.inf if s is None else s for s in self.per_seed)
        if not ranked:
            return None
        k = len(ranked)
        middle = ranked[k // 2] if k % 2 else (ranked[k // 2 - 1] + ranked[k // 2]) / 2
        return None if math.isinf(middle) else float(middle)

    def describe(self) -> str:
        """ "median 1,000 steps (2 of 3 reached it; seed 2 not by step 1,000)"."""
        pairs = zip(self.per_seed, self.last_step)
        missed = Counter(
            f"not by step {last:,}" if last else "never evaluated" for s, last in pairs if s is None
        )
        median = "median not reached" if self.median is None else f"median {self.median:,.0f} steps"
        detail = "; ".join(
            [
                f"{self.reached} of {len(self.per_seed)} reached it",
                *(f"{k} {what}" for what, k in missed.items()),
            ]
        )
        return f"{median} ({detail})"

    def to_dict(self) -> dict:
        seeds = {"per_seed": list(self.per_seed), "last_step": list(self.last_step)}
        counts = {"reached": self.reached, "runs": len(self.per_seed)}
        return {"arm": self.arm, **seeds, **counts, "median": self.median, "described": self.describe()}

    @classmethod
    def from_dict(cls, d: dict) -> StepsToThreshold:
        return cls(d["arm"], tuple(d["per_seed"]), tuple(d["last_step"]))


def steps_to_reach(arm: str, curves: Sequence[Curve | None], threshold: float | None) -> StepsToThreshold:
    """Per seed's dev BLEU curve (None: no run) -> the censored steps to `threshold`."""
    found = [c for c in curves if c is not None]
    steps = tuple(None if threshold is None else steps_to_threshold(c, threshold) for c in found)
    return StepsToThreshold(arm, steps, tuple(max(c) if c else None for c in found))
