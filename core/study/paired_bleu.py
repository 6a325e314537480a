"""Test-set uncertainty: sacrebleu's paired bootstrap resampling between arms, seed by seed.

The interval over seeds says how much BLEU moves with the training run; it says nothing of how
much it moves with the test sentences. For that, each seed's arms are compared on the same test
sentences with sacrebleu's own paired bootstrap (Koehn 2004; sacrebleu.significance.PairedTest,
test_type "bs"): every resample draws the same sentences for both systems. It gives each
system's mean BLEU over resamples with a 95% half-width, and the p-value of the difference. It is
reported beside the interval over seeds, never instead of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from core.study.arms import BASELINE

N_SAMPLES = 1000  # sacrebleu's default for the paired bootstrap


@dataclass(frozen=True)
class SystemBleu:
    score: float  # BLEU on the whole test set
    mean: float  # mean over the bootstrap resamples
    ci: float  # half-width of its 95% interval over resamples

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> SystemBleu:
        return cls(**d)


@dataclass(frozen=True)
class PairedBleu:
    """One seed: an arm against the baseline on the same test sentences."""

    seed: int
    arm: str
    baseline: SystemBleu
    system: SystemBleu
    p: float  # sacrebleu's paired bootstrap p-value of the difference (unadjusted)
    signature: str

    @property
    def difference(self) -> float:
        return self.system.score - self.baseline.score

    def to_dict(self) -> dict:
        systems = {"baseline": self.baseline.to_dict(), "system": self.system.to_dict()}
        return {
            "seed": self.seed,
            "arm": self.arm,
            "difference": self.difference,
            "p": self.p,
            **systems,
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, d: dict) -> PairedBleu:
        systems = SystemBleu.from_dict(d["baseline"]), SystemBleu.from_dict(d["system"])
        return cls(d["seed"], d["arm"], *systems, d["p"], d["signature"])


def paired_bleu(
    seed: int,
    hypotheses: Mapping[str, Sequence[str]],
    references: Sequence[str],
    n_samples: int = N_SAMPLES,
) -> list[PairedBleu]:
    """{arm: test hypotheses} of one seed (BASELINE among them) and the references -> one result
    per other arm (sacrebleu's PairedTest with the paired bootstrap)."""
    from sacrebleu.metrics import BLEU
    from sacrebleu.significance import PairedTest

    others = [arm for arm in hypotheses if arm != BASELINE]
    if BASELINE not in hypotheses or not others:
        return []
    systems = [(BASELINE, list(hypotheses[BASELINE]))] + [(arm, list(hypotheses[arm])) for arm in others]
    test = PairedTest(systems, {"BLEU": BLEU()}, [list(references)], test_type="bs", n_samples=n_samples)
    signatures, results = test()
    rows = results["BLEU"]
    base, signature = _system(rows[0]), str(signatures["BLEU"])
    return [
        PairedBleu(seed, arm, base, _system(r), float(r.p_value), signature)
        for arm, r in zip(others, rows[1:])
    ]


def _system(result) -> SystemBleu:
    """A sacrebleu significance Result -> SystemBleu."""
    return SystemBleu(float(result.score), float(result.mean), float(result.ci))
