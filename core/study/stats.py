"""Statistics over seeds: a mean with its 95% t-interval and t-test, and paired differences.

A study has few seeds (3 to 10): a t-interval, not a bootstrap, is the honest interval for a
mean of so few values, and the matching test of "the mean is 0" is the one-sample t-test (for
differences between arms, the paired t-test: the seed fixes every arm's data order and, where
shapes agree, initial weights). One seed gives a value but no interval and no test, and says so.

A p-value here is raw: which comparisons are the study's primary ones and how the rest are
adjusted for their number is core.study.multiplicity's business.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.errors import UserError

CONFIDENCE = 0.95
ALPHA = 1 - CONFIDENCE  # the level every adjusted test is read at
ONE_SEED_NOTE = "one seed: no interval (run the study with --seeds 3 or more)"
Bounds = tuple[float, float] | None


@dataclass(frozen=True)
class Estimate:
    """A mean over seeds, its 95% t-interval and the two-sided t-test of mean = 0 (None with
    fewer than 2 values)."""

    mean: float | None
    low: float | None
    high: float | None
    n: int
    values: tuple[float, ...]
    p: float | None = None  # two-sided one-sample t-test of mean = 0, unadjusted
    sd: float | None = None  # the values' standard deviation (ddof 1)

    @property
    def note(self) -> str | None:
        return ONE_SEED_NOTE if self.n == 1 else None

    def excludes_zero(self) -> bool:
        return self.low is not None and (self.low > 0 or self.high < 0)

    def to_dict(self) -> dict:
        d = {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n}
        d.update(values=list(self.values), p=self.p, sd=self.sd)
        if self.note:
            d["note"] = self.note
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Estimate:
        return cls(d["mean"], d["low"], d["high"], d["n"], tuple(d["values"]), d.get("p"), d.get("sd"))


@dataclass(frozen=True)
class Difference:
    """arm - baseline, seed by seed: its estimate and the seeds the arm did better in."""

    estimate: Estimate
    wins: int  # seeds where the arm is better (lower for perplexity, higher for BLEU)
    better: str  # "lower" | "higher"
    losses: int = 0  # seeds where the arm is worse (a tie is neither)

    def to_dict(self) -> dict:
        return {**self.estimate.to_dict(), "wins": self.wins, "losses": self.losses, "better": self.better}

    @classmethod
    def from_dict(cls, d: dict) -> Difference:
        return cls(Estimate.from_dict(d), d["wins"], d["better"], d.get("losses", 0))


def t_quantile(df: int) -> float:
    """The two-sided 95% Student t quantile for `df` degrees of freedom."""
    from scipy.stats import t

    return float(t.ppf(0.5 + CONFIDENCE / 2, df))


def t_test(mean: float, sd: float, n: int) -> float:
    """Two-sided p of the one-sample t-test of mean = 0 (n >= 2). A zero spread gives 1 for a zero
    mean and 0 otherwise (every seed agrees exactly)."""
    from scipy.stats import t

    if sd == 0:
        return 1.0 if mean == 0 else 0.0
    statistic = mean / (sd / math.sqrt(n))
    return float(2 * t.sf(abs(statistic), n - 1))


def estimate(values: Sequence[float | None], bounds: Bounds = None) -> Estimate:
    """The mean of the finite values, its t-interval and t-test; missing (None, NaN) values are
    left out. `bounds`: the range the quantity cannot leave (CKA: 0..1); the interval is cut there."""
    kept = tuple(float(v) for v in values if v is not None and math.isfinite(float(v)))
    if not kept:
        return Estimate(None, None, None, 0, ())
    mean = float(np.mean(kept))
    if len(kept) == 1:
        return Estimate(mean, None, None, 1, kept)
    sd = float(np.std(kept, ddof=1))
    half = t_quantile(len(kept) - 1) * sd / math.sqrt(len(kept))
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return Estimate(mean, low, high, len(kept), kept, t_test(mean, sd, len(kept)), sd)


def paired_difference(
    arm: Sequence[float | None], baseline: Sequence[float | None], better: str
) -> Difference:
    """Seed-aligned values of an arm and of the baseline -> their difference (a paired t-interval
    and t-test) and the arm's wins. A seed missing in either list is left out of both."""
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


@dataclass(frozen=True)
class Band:
    """Curves of several seeds on a shared x grid, point by point: the mean over seeds, its 95%
    t-interval (None with one seed) and how many seeds have the point."""

    mean: tuple[float | None, ...]
    low: tuple[float | None, ...]
    high: tuple[float | None, ...]
    n: tuple[int, ...]

    def to_dict(self) -> dict:
        return {"mean": list(self.mean), "low": list(self.low), "high": list(self.high), "n": list(self.n)}

    @classmethod
    def from_dict(cls, d: dict) -> Band:
        return cls(tuple(d["mean"]), tuple(d["low"]), tuple(d["high"]), tuple(d["n"]))


def band(rows: Sequence[Sequence[float | None]]) -> Band:
    """Curves of several seeds on a shared x grid -> their Band.

    rows [seeds][points]; a point a seed lacks is None. With one seed, low/high are None.
    """
    columns = list(zip(*rows)) if rows else []
    points = [estimate(column) for column in columns]
    return Band(
        tuple(p.mean for p in points),
        tuple(p.low for p in points),
        tuple(p.high for p in points),
        tuple(p.n for p in points),
    )
