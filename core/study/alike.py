"""What the arms of a seed really shared, read from their start records (core.run.start).

Within a seed every arm is meant to start from the same weights (where their shapes agree), the
same tokenizers and the same data order. Each run wrote what it started from before its first
step; here the records of every arm are compared with the baseline arm's, seed by seed, and the
report says where they differ (the attention arm's extra layers shift the random draws that
follow them, for instance). A run trained before start records existed has none, and is named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.run.start import StartRecord
from core.study.arms import BASELINE


@dataclass(frozen=True)
class ArmAlike:
    """One arm of one seed against the baseline arm of the same seed."""

    seed: int
    arm: str
    same: tuple[str, ...]  # tensors that start identical
    different: tuple[str, ...]  # tensors both have that start differently
    extra: tuple[str, ...]  # tensors only this arm has
    batches_same: int  # of the first recorded batches, how many are identical
    batches: int
    tokenizers_same: bool

    @property
    def alike(self) -> bool:
        return not self.different and self.batches_same == self.batches and self.tokenizers_same

    def sentence(self) -> str:
        data = "the same first batches"
        if self.batches_same != self.batches:
            data = f"{self.batches_same} of its first {self.batches} batches the same"
        tokens = "the same tokenizer files" if self.tokenizers_same else "other tokenizer files"
        shared = len(self.same) + len(self.different)
        weights = f"{len(self.same)} of the {shared} tensors it shares with {BASELINE} start the same"
        if self.different:
            weights += f" ({len(self.different)} differ: {_names(self.different)})"
        if self.extra:
            weights += f"; its own: {_names(self.extra)}"
        return f"seed {self.seed}, {self.arm}: {weights}; {data}; {tokens}"

    def to_dict(self) -> dict:
        tensors = {"same": list(self.same), "different": list(self.different), "extra": list(self.extra)}
        data = {
            "batches_same": self.batches_same,
            "batches": self.batches,
            "tokenizers_same": self.tokenizers_same,
        }
        return {
            "seed": self.seed,
            "arm": self.arm,
            **tensors,
            **data,
            "alike": self.alike,
            "sentence": self.sentence(),
        }

    @classmethod
    def from_dict(cls, d: dict) -> ArmAlike:
        tensors = tuple(d["same"]), tuple(d["different"]), tuple(d["extra"])
        return cls(d["seed"], d["arm"], *tensors, d["batches_same"], d["batches"], d["tokenizers_same"])


def compare(seed: int, arm: str, record: StartRecord, base: StartRecord) -> ArmAlike:
    same = tuple(n for n, d in record.tensors.items() if base.tensors.get(n) == d)
    different = tuple(n for n, d in record.tensors.items() if n in base.tensors and base.tensors[n] != d)
    extra = tuple(n for n in record.tensors if n not in base.tensors)
    batches = min(len(record.batches), len(base.batches))
    batches_same = sum(a == b for a, b in zip(record.batches, base.batches))
    return ArmAlike(
        seed, arm, same, different, extra, batches_same, batches, record.tokenizers == base.tokenizers
    )


@dataclass(frozen=True)
class Alike:
    """Every arm of every seed against the baseline, and the runs without a start record."""

    arms: tuple[ArmAlike, ...]
    unrecorded: tuple[str, ...]  # run names trained before start records existed

    def lines(self) -> list[str]:
        """What the report says: one line per arm that differs, one for those alike, one for the
        unrecorded."""
        out = []
        alike = [a for a in self.arms if a.alike]
        if alike:
            arms = ", ".join(sorted({a.arm for a in alike}))
            out.append(
                f"{arms}: every shared initial tensor, the first batches and the tokenizer files are the "
                f"same as {BASELINE}'s in {len(alike)} arm-seed pair(s), read from the runs' start records"
            )
        out += [a.sentence() for a in self.arms if not a.alike]
        if self.unrecorded:
            unrecorded = ", ".join(self.unrecorded)
            out.append(
                f"no start record (trained before they existed): {unrecorded}; what they shared is not shown"
            )
        return out

    def to_dict(self) -> dict:
        return {
            "arms": [a.to_dict() for a in self.arms],
            "unrecorded": list(self.unrecorded),
            "lines": self.lines(),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Alike:
        return cls(tuple(ArmAlike.from_dict(a) for a in d["arms"]), tuple(d["unrecorded"]))


def _names(names: Sequence[str], at_most: int = 4) -> str:
    return ", ".join(names[:at_most]) + (f" and {len(names) - at_most} more" if len(names) > at_most else "")


def compare_starts(
    records: Mapping[tuple[str, int], StartRecord | None], names: Mapping[tuple[str, int], str]
) -> Alike:
    """{(arm, seed): the run's start record or None} -> Alike."""
    arms = []
    for (arm, seed), record in sorted(records.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        base = records.get((BASELINE, seed))
        if arm == BASELINE or record is None or base is None:
            continue
        arms.append(compare(seed, arm, record, base))
    unrecorded = tuple(names[key] for key, record in records.items() if record is None)
    return Alike(tuple(arms), unrecorded)
