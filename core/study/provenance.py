"""What every figure of a report states: seeds, config hash, data fingerprint, sacrebleu signature;
and what "same initial weights" means for each arm.

The config hash covers everything the runs of a study share: the preset, the model and
training settings and the tokenizer, but not the two things a study varies (the arm's flags
and the seed). Runs of one study must agree on it; the report says so when they do not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import torch

from core.model import ModelConfig, Seq2Seq

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


def initial_weights(configs: dict[str, ModelConfig], baseline: str, seed: int = 0) -> dict:
    """Which initial tensors each arm shares with the baseline arm under the same seed.

    It rebuilds each model as the training session does (torch.manual_seed(seed), then
    Seq2Seq(config), whose uniform init draws tensors in registration order) at toy sizes:
    which tensors agree depends only on the order of the draws, not on the sizes. -> {arm:
    {"same": [names], "different": [names], "extra": [names the baseline has not]}}.
    """
    toy = {arm: replace(c, src_vocab=11, tgt_vocab=13, emb_dim=3, hidden=5) for arm, c in configs.items()}
    states = {}
    for arm, config in toy.items():
        torch.manual_seed(seed)
        states[arm] = Seq2Seq(config).state_dict()
    base = states[baseline]
    out = {}
    for arm, state in states.items():
        same = [n for n, t in state.items() if n in base and torch.equal(t, base[n])]
        different = [n for n, t in state.items() if n in base and not torch.equal(t, base[n])]
        out[arm] = {"same": same, "different": different, "extra": [n for n in state if n not in base]}
    return out


def describe_initial_weights(agreement: dict, baseline: str) -> list[str]:
    """One sentence per arm other than the baseline, from initial_weights."""
    lines = []
    for arm, a in agreement.items():
        if arm == baseline:
            continue
        if not (a["different"] or a["extra"]):
            lines.append(f"{arm}: every initial tensor is the same as {baseline}'s, seed by seed")
            continue
        shared = len(a["same"]) + len(a["different"])
        text = (
            f"{arm}: {len(a['same'])} of the {shared} tensors it shares with {baseline} start the same"
            f" (its own: {', '.join(a['extra']) or 'none'})"
        )
        if a["different"]:
            text += (
                f"; {len(a['different'])} differ ({_names(a['different'])}): building the extra modules draws"
                " random numbers, which shifts the draws that follow, so only the data order and budget are"
                " shared with certainty"
            )
        lines.append(text)
    return lines


def _names(names: list[str], at_most: int = 4) -> str:
    return ", ".join(names[:at_most]) + (f" and {len(names) - at_most} more" if len(names) > at_most else "")
