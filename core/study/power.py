"""Seeds enough to decide: how many a paired t-test would need for 80% power at the observed effect.

For a primary comparison whose adjusted test does not hold, the report says how many seeds would
be needed to detect the observed mean difference, given the observed spread between seeds
(Cohen's d_z = mean / sd of the paired differences), with a two-sided paired t-test at level
ALPHA / m (m primary comparisons: the strictest step of Holm's method, so the figure is not
optimistic). It is a planning figure from a small pilot, not a promise: the observed effect and
spread are themselves uncertain.
"""

from __future__ import annotations

import math

from core.study.stats import ALPHA

POWER = 0.8
MAX_SEEDS_PLANNED = 1000  # beyond this the answer is "more than 1,000": no seed study will do


def power(effect: float, n: int, alpha: float) -> float:
    """Power of a two-sided one-sample (paired) t-test with n values at standardized effect d_z."""
    from scipy.stats import nct, norm, t

    df = n - 1
    critical = t.ppf(1 - alpha / 2, df)
    shift = effect * math.sqrt(n)
    exact = float(nct.sf(critical, df, shift) + nct.cdf(-critical, df, shift))
    if math.isfinite(exact):
        return exact
    return float(norm.sf(critical - shift) + norm.cdf(-critical - shift))  # large n: the normal limit


def seeds_needed(mean: float | None, sd: float | None, n_tests: int = 1, target: float = POWER) -> int | None:
    """The fewest seeds (>= 2) giving `target` power at the observed mean and sd, at ALPHA / n_tests;
    None when it cannot be said (no spread known) or exceeds MAX_SEEDS_PLANNED (say "more than")."""
    if mean is None or sd is None or n_tests < 1:
        return None
    if sd == 0:
        return 2 if mean != 0 else None
    effect = abs(mean) / sd
    if effect == 0:
        return None
    alpha = ALPHA / n_tests
    low, high = 2, MAX_SEEDS_PLANNED
    if power(effect, high, alpha) < target:
        return None
    while low < high:  # power grows with n: the first n that reaches the target
        middle = (low + high) // 2
        if power(effect, middle, alpha) >= target:
            high = middle
        else:
            low = middle + 1
    return low


def describe_seeds(needed: int | None) -> str:
    """ "about 14 seeds would be needed" / "more than 1,000 seeds would be needed"."""
    if needed is None:
        return f"more than {MAX_SEEDS_PLANNED:,} seeds would be needed (80% power at the observed effect)"
    return f"about {needed} seeds would be needed (80% power at the observed effect)"
