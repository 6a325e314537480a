"""Learning rate as a pure function of the step: resuming needs no scheduler state."""

from __future__ import annotations

import math

from core.config.training import TrainConfig


def learning_rate(config: TrainConfig, step: int, steps_per_epoch: int) -> float:
    """The rate for optimizer step `step` (0-based).

    "halving" (Sutskever et al. 2014, 3.4): constant until `decay_start_epoch`, then halved at
    the start of it and every `decay_every_epochs` after.
    """
    if config.schedule == "constant":
        return config.lr
    epoch = step / max(1, steps_per_epoch)
    if epoch < config.decay_start_epoch:
        return config.lr
    halvings = math.floor((epoch - config.decay_start_epoch) / config.decay_every_epochs) + 1
    return config.lr * 0.5**halvings
