"""Many comparisons, read honestly: primary ones declared before training and Holm-adjusted, the
rest exploratory and Benjamini-Hochberg-adjusted.

A study declares its primary comparisons in study.json before any run trains (by default test
BLEU and test perplexity of every arm against forward: core.study.layout). Their p-values are
adjusted with Holm's step-down method, which controls the chance of any false claim among them.
Everything else the report tests (other metrics and splits, probes, loss by position, BLEU by
length, CKA) is exploratory: adjusted with Benjamini-Hochberg, which controls the expected share
of false discoveries among them, and labelled exploratory wherever it is shown. A claim is made
only where the adjusted value is below ALPHA.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from core.study.stats import ALPHA

PRIMARY, EXPLORATORY = "primary", "exploratory"
METHODS = {PRIMARY: "Holm", EXPLORATORY: "Benjamini-Hochberg"}


def holm(p: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given."""
    p = np.asarray(p, dtype=np.float64)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted.tolist()


def benjamini_hochberg(p: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the order given."""
    p = np.asarray(p, dtype=np.float64)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 1.0
    for rank in range(m - 1, -1, -1):
        i = order[rank]
        running = min(running, p[i] * m / (rank + 1))
        adjusted[i] = running
    return adjusted.tolist()


@dataclass(frozen=True)
class Test:
    """One comparison a report makes: what it is, its estimate and p, and its adjusted p."""

    key: str  # e.g. "test.bleu:reversed-forward", "probe.voice.lead:reversed", "cka.h.1:forward|reversed"
    family: str  # PRIMARY | EXPLORATORY
    estimate: float | None
    p: float | None  # unadjusted; None: no test possible (one seed)
    adjusted: float | None = None  # Holm (primary) or Benjamini-Hochberg (exploratory)
    what: str = ""  # a phrase a person reads: "test BLEU, reversed - forward"

    @property
    def holds(self) -> bool:
        """The adjusted test rejects "no difference" at ALPHA."""
        return self.adjusted is not None and self.adjusted < ALPHA

    @property
    def method(self) -> str:
        """The adjustment of its family: Holm or Benjamini-Hochberg."""
        return METHODS[self.family]

    def to_dict(self) -> dict:
        d = {
            "key": self.key,
            "family": self.family,
            "what": self.what,
            "estimate": self.estimate,
            "p": self.p,
        }
        return {**d, "adjusted": self.adjusted, "method": self.method, "holds": self.holds}

    @classmethod
    def from_dict(cls, d: dict) -> Test:
        return cls(d["key"], d["family"], d["estimate"], d["p"], d.get("adjusted"), d.get("what", ""))


def adjust(tests: Sequence[Test]) -> list[Test]:
    """Every test with its adjusted p: Holm within the primary family, Benjamini-Hochberg within
    the exploratory one. A test without a p (one seed) stays unadjusted and never holds."""
    out = list(tests)
    for family, method in ((PRIMARY, holm), (EXPLORATORY, benjamini_hochberg)):
        index = [i for i, t in enumerate(out) if t.family == family and t.p is not None]
        for i, value in zip(index, method([out[i].p for i in index])):
            out[i] = replace(out[i], adjusted=float(value))
    return out


def find(tests: Sequence[Test], key: str) -> Test | None:
    return next((t for t in tests if t.key == key), None)
