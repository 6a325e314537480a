"""Statistics over seeds: a mean with its 95% t-interval, and paired differences between arms.

A study has few seeds (3 to 5): a t-interval, not a bootstrap, is the honest interval for a
mean of so few values. Arms are compared seed by seed (the same seed gives every arm the same
data order and, where shapes agree, the same initial weights), so their difference is paired.
One seed gives a value but no interval, and says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from core.errors import UserError

CONFIDENCE = 0.95
ONE_SEED_NOTE = "one seed: no interval (run the study with --seeds 3 or more)"


@dataclass(frozen=True)
class Estimate:
    """A mean over seeds and its 95% t-interval (None with one value)."""

    mean: float | None
    low: float | None
    high: float | None
    n: int
    values: tuple[float, ...]

    @property
    def note(self) -> str | None:
        return ONE_SEED_NOTE if self.n == 1 else None

    def excludes_zero(self) -> bool:
        return self.low is not None and (self.low > 0 or self.high < 0)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["values"] = list(self.values)
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True)
class Difference:
    """arm - baseline, seed by seed: its estimate and the seeds the arm did better in."""

    estimate: Estimate
    wins: int  # seeds where the arm is better (lower for perplexity, higher for BLEU)
    better: str  # "lower" | "higher"
    losses: int = 0  # seeds where the arm is worse (a tie is neither)

    def to_dict(self) -> dict:
        return {**self.estimate.to_dict(), "wins": self.wins, "losses": self.losses, "better": self.better}


def t_quantile(df: int) -> float:
    """The two-sided 95% Student t quantile for `df` degrees of freedom."""
    from scipy.stats import t

    return float(t.ppf(0.5 + CONFIDENCE / 2, df))


def estimate(values: Sequence[float | None], bounds: tuple[float, float] | None = None) -> Estimate:
    """The mean of the finite values and its t-interval; missing (None, NaN) values are left out.

    `bounds`: the range the quantity cannot leave (CKA: 0..1); the interval is cut there.
    """
    kept = tuple(float(v) for v in values if v is not None and math.isfinite(float(v)))
    if not kept:
        return Estimate(None, None, None, 0, ())
    mean = float(np.mean(kept))
    if len(kept) == 1:
        return Estimate(mean, None, None, 1, kept)
    half = t_quantile(len(kept) - 1) * float(np.std(kept, ddof=1)) / math.sqrt(len(kept))
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return Estimate(mean, low, high, len(kept), kept)


def paired_difference(
    arm: Sequence[float | None], baseline: Sequence[float | None], better: str
) -> Difference:
    """Seed-aligned values of an arm and of the baseline -> their difference and the arm's wins.

    A seed missing in either list is left out of both.
    """
    if better not in ("lower", "higher"):
        raise ValueError(f"better must be lower or higher, not {better!r}")
    if len(arm) != len(baseline):
        raise UserError(
            f"a paired difference needs one value per seed on both sides: {len(arm)} vs {len(baseline)}"
        )
    pairs = [
        (float(a), float(b))
        for a, b in zip(arm, baseline)
        if a is not None and b is not None and math.isfinite(float(a)) and math.isfinite(float(b))
    ]
    diffs = [a - b for a, b in pairs]
    wins = sum(d < 0 if better == "lower" else d > 0 for d in diffs)
    losses = sum(d > 0 if better == "lower" else d < 0 for d in diffs)
    return Difference(estimate(diffs), int(wins), better, int(losses))


def band(rows: Sequence[Sequence[float | None]]) -> dict:
    """Curves of several seeds on a shared x grid -> {"mean", "low", "high", "n"} lists.

    rows [seeds][points]; a point a seed lacks is None. With one seed, low/high are None.
    """
    columns = list(zip(*rows)) if rows else []
    points = [estimate(column) for column in columns]
    return {
        "mean": [p.mean for p in points],
        "low": [p.low for p in points],
        "high": [p.high for p in points],
        "n": [p.n for p in points],
    }
