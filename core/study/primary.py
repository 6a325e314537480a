"""The study's primary comparisons, declared in study.json before training: each one's paired
difference over seeds with its t-interval, its Holm-adjusted test, and (when the test does not
hold) the seeds a paired t-test would need for 80% power at the observed effect and spread
(core.study.power)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.study.metrics import parse_comparison_key
from core.study.multiplicity import PRIMARY, Test
from core.study.power import describe_seeds, seeds_needed
from core.study.scores import Scores


@dataclass(frozen=True)
class PrimaryComparison:
    test: Test  # Holm-adjusted
    mean: float | None  # the arm minus forward, over seeds (core.study.stats.Difference)
    low: float | None
    high: float | None
    n: int  # seeds with both arms finished
    sd: float | None
    wins: int  # seeds where the arm is better
    losses: int
    better: str  # "lower" | "higher"
    seeds_needed: int | None  # for 80% power (None: the test holds, or it cannot be said)

    @property
    def verdict(self) -> str:
        return "holds" if self.test.holds else f"inconclusive: {describe_seeds(self.seeds_needed)}"

    @property
    def compared(self) -> tuple[str, str, str]:
        """(split, metric, arm) of the comparison, e.g. ("test", "bleu", "reversed")."""
        return parse_comparison_key(self.test.key)

    def to_dict(self) -> dict:
        figures = {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n, "sd": self.sd}
        seeds = {"wins": self.wins, "losses": self.losses, "better": self.better}
        return {
            **self.test.to_dict(),
            **figures,
            **seeds,
            "seeds_needed": self.seeds_needed,
            "verdict": self.verdict,
        }

    @classmethod
    def from_dict(cls, d: dict) -> PrimaryComparison:
        figures = (d["mean"], d["low"], d["high"], d["n"], d["sd"], d["wins"], d["losses"], d["better"])
        return cls(Test.from_dict(d), *figures, d["seeds_needed"])


def primary_section(tests: Sequence[Test], scores: Scores) -> list[PrimaryComparison]:
    """Each primary test (adjusted) beside its difference in `scores`."""
    primary = [t for t in tests if t.family == PRIMARY]
    out = []
    for test in primary:
        split, metric, arm = parse_comparison_key(test.key)
        diff = scores.metric(split, metric).vs_forward[arm]
        e = diff.estimate
        needed = None if test.holds else seeds_needed(e.mean, e.sd, len(primary))
        out.append(
            PrimaryComparison(
                test, e.mean, e.low, e.high, e.n, e.sd, diff.wins, diff.losses, diff.better, needed
            )
        )
    return out
