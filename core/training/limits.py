"""The range of every model and training setting, checked before a run folder is written.

Out-of-range values would otherwise fail deep inside PyTorch (a traceback, and a run folder
left behind with tokenizers but no weights) or train silently on nonsense (--epochs 0).
"""

from __future__ import annotations

import math

from core.errors import UserError
from core.training.config import TrainConfig

AT_LEAST_ONE = ("steps", "emb_dim", "hidden", "layers", "batch_size", "max_len", "bucket_pool", "eval_every",
                "checkpoint_every", "log_every", "dev_ppl_sentences")  # fmt: skip
NOT_NEGATIVE = ("dev_bleu_sentences",)
POSITIVE = ("lr", "init_range", "clip_norm", "decay_every_epochs")


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def check_settings(model: dict, train: TrainConfig) -> None:
    """Raise UserError naming the first option out of its range."""
    values = {**train.to_dict(), **model}
    for name in AT_LEAST_ONE:
        if name in values and values[name] is not None and values[name] < 1:
            raise UserError(f"{_flag(name)} must be at least 1, not {values[name]}")
    for name in NOT_NEGATIVE:
        if name in values and values[name] < 0:
            raise UserError(f"{_flag(name)} must be 0 or more, not {values[name]}")
    for name in POSITIVE:
        if name in values and not (values[name] > 0 and math.isfinite(values[name])):
            raise UserError(f"{_flag(name)} must be a positive number, not {values[name]}")
    dropout = values.get("dropout", 0.0)
    if not 0 <= dropout < 1:
        raise UserError(f"--dropout must be at least 0 and below 1, not {dropout}")
    if train.steps is None and not (train.epochs > 0 and math.isfinite(train.epochs)):
        raise UserError(f"--epochs must be a positive number, not {train.epochs}")
