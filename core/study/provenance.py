"""What every figure of a report states: seeds, config hash, data fingerprint, sacrebleu signature
(what the arms of a seed really shared is read from the runs' start records: core.study.alike).

The config hash covers everything the runs of a study share: the preset, the model and
training settings and the tokenizer, but not the two things a study varies (the arm's flags
and the seed). Runs of one study must agree on it; the report says so when they do not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

ARM_FIELDS = ("reverse_source", "attention")  # model fields an arm sets (core.study.arms)
SEED_FIELDS = ("seed",)  # training fields a seed sets


def config_hash(config: Mapping) -> str:
    """12 hex digits of the SHA-256 of what a run's config.json shares with the study's other runs:
    all of it but what the arm and the seed change (nor timestamps)."""
    shared = {
        "preset": config.get("preset"),
        "model": {k: v for k, v in config.get("model", {}).items() if k not in ARM_FIELDS},
        "train": {k: v for k, v in config.get("train", {}).items() if k not in SEED_FIELDS},
        "tokenizer": config.get("tokenizer", {}),
        "data": config.get("data", {}).get("fingerprint"),
    }
    text = json.dumps(shared, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Provenance:
    """What every figure of a report states, and what the numbers were measured with."""

    seeds: tuple[int, ...]  # of the finished runs
    config_hash: str  # config_hash of every run, "+"-joined when they differ
    tokenizer_files: str  # a digest of each run's tokenizer files, "+"-joined when they differ
    data_fingerprint: str | None
    bleu_signature: str | None  # sacrebleu's
    chrf_signature: str | None
    steps: Mapping[str, int]  # run name -> the step its weights are from
    settings: Mapping[str, object]  # core.study.measure.MeasureConfig.to_dict(), as it was

    def line(self) -> str:
        """The footnote every figure carries."""
        seeds = ",".join(str(s) for s in self.seeds) or "none"
        data = f"data {self.data_fingerprint}"
        return f"seeds {seeds} · config {self.config_hash} · {data} · {self.bleu_signature}"

    def to_dict(self) -> dict:
        hashes = {"config_hash": self.config_hash, "tokenizer_files": self.tokenizer_files}
        signatures = {"bleu_signature": self.bleu_signature, "chrf_signature": self.chrf_signature}
        data = {"data_fingerprint": self.data_fingerprint}
        measured = {"steps": dict(self.steps), "settings": dict(self.settings)}
        return {"seeds": list(self.seeds), **hashes, **data, **signatures, **measured}

    @classmethod
    def from_dict(cls, d: dict) -> Provenance:
        hashes = d["config_hash"], d["tokenizer_files"], d["data_fingerprint"]
        signatures = d["bleu_signature"], d["chrf_signature"]
        return cls(tuple(d["seeds"]), *hashes, *signatures, dict(d["steps"]), dict(d["settings"]))
