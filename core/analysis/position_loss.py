"""Cross-entropy by target position: where in the output sentence does a model lose?

Sutskever et al. 2014 (3.3) explain why reversing the source helps: the first source words end
up next to the first target words, so the "minimal time lag" is short and the first target
words are predicted well, after which the rest follows. If that is right, reversal lowers the
loss of the first target positions most. This measures it: the mean teacher-forced
cross-entropy (nats) of the target token at positions 1..P over a test set.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from core.batching import EncodedPairs, make_batch, sequential_batches
from core.errors import UserError
from core.model import Seq2Seq
from core.tokenizer import PAD

POSITIONS = 10  # the first 10 target tokens: where the paper's time-lag argument bites


@torch.inference_mode()
def loss_by_position(
    model: Seq2Seq,
    data: EncodedPairs,
    device: torch.device,
    positions: int = POSITIONS,
    batch_size: int = 64,
) -> tuple[np.ndarray, np.ndarray]:
    """-> (mean cross-entropy [P] in nats, token count [P]) for target positions 1..P.

    Position p is the p-th target token (EOS counts as the token after the last word); a
    position no sentence reaches has NaN loss and count 0.
    """
    if positions < 1:
        raise UserError(f"positions must be at least 1, not {positions}")
    if len(data) == 0:
        raise UserError("no test pairs to measure the loss by position on")
    was_training = model.training
    model.eval()
    total = torch.zeros(positions, dtype=torch.float64)
    count = torch.zeros(positions, dtype=torch.float64)
    for index in sequential_batches([len(s) for s in data.src], batch_size):
        b = make_batch(data, index).to(device)
        hidden, _ = model.decode(b.tgt_in[:, :positions], model.encode(b.src, b.src_len))  # [B, P', H]
        target = b.tgt_out[:, :positions]  # [B, P']
        logits = model.logits(hidden).float()  # [B, P', V]
        ce = F.cross_entropy(logits.transpose(1, 2), target, ignore_index=PAD, reduction="none")  # [B, P']
        mask = (target != PAD).double()
        width = target.size(1)
        total[:width] += (ce.double().cpu() * mask.cpu()).sum(0)
        count[:width] += mask.cpu().sum(0)
    model.train(was_training)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count.numpy() > 0, total.numpy() / count.numpy(), np.nan)
    return mean, count.numpy().astype(np.int64)
