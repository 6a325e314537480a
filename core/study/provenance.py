"""What every figure of a report states: seeds, config hash, data fingerprint, sacrebleu signature
(what the arms of a seed really shared is read from the runs' start records: core.study.alike).

The config hash covers everything the runs of a study share: the preset, the model and
training settings and the tokenizer, but not the two things a study varies (the arm's flags
and the seed). Runs of one study must agree on it; the report says so when they do not.
"""

from __future__ import annotations

import hashlib
import json

ARM_FIELDS = ("reverse_source", "attention")  # model fields an arm sets (core.study.arms)
SEED_FIELDS = ("seed",)  # training fields a seed sets


def shared_settings(config: dict) -> dict:
    """A run's config.json without what the arm and the seed change (nor timestamps)."""
    return {
        "preset": config.get("preset"),
        "model": {k: v for k, v in config.get("model", {}).items() if k not in ARM_FIELDS},
        "train": {k: v for k, v in config.get("train", {}).items() if k not in SEED_FIELDS},
        "tokenizer": config.get("tokenizer", {}),
        "data": config.get("data", {}).get("fingerprint"),
    }


def config_hash(config: dict) -> str:
    """12 hex digits of the SHA-256 of shared_settings(config)."""
    text = json.dumps(shared_settings(config), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def provenance_line(provenance: dict) -> str:
    """The footnote every figure carries."""
    seeds = ",".join(str(s) for s in provenance.get("seeds", [])) or "none"
    return (
        f"seeds {seeds} · config {provenance.get('config_hash')} · data {provenance.get('data_fingerprint')}"
        f" · {provenance.get('bleu_signature')}"
    )
