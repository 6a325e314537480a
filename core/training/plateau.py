"""The early-stopping rule: dev BLEU has stopped rising (TrainConfig.patience)."""

from __future__ import annotations

from collections.abc import Sequence

from core.config.training import MIN_RISE


def stopped_rising(bleus: Sequence[float], patience: int) -> bool:
    """True when the last `patience` dev BLEU scores (oldest first) did not beat the best before
    them by more than MIN_RISE. Never with patience 0 or fewer than patience + 1 evaluations."""
    if patience < 1 or len(bleus) <= patience:
        return False
    return max(bleus[-patience:]) <= max(bleus[:-patience]) + MIN_RISE


def plateau_message(bleus: Sequence[float], steps: Sequence[int], total: int) -> str:
    """What status.json says of a run stopped by the rule: where the best score was and when it stopped."""
    best = max(range(len(bleus)), key=bleus.__getitem__)
    return (
        f"dev BLEU stopped rising (best {bleus[best]:.1f} at step {steps[best]:,}): stopped at step "
        f"{steps[-1]:,} of at most {total:,}"
    )
