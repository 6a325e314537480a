"""Token-id corpora and length-bucketed batches.

Bucketing: shuffle, sort pools of `pool` batches by length, cut into batches, shuffle the
batches. Sentences of similar length share a batch, so little compute goes to padding.
The order is a pure function of (seed, epoch): resuming needs only the epoch and position.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from core.tokenizer import BOS, EOS, PAD, Tokenizer


@dataclass(frozen=True)
class EncodedPairs:
    """A parallel corpus as token ids (no BOS/EOS); src kept in natural order."""

    src: list[list[int]]
    tgt: list[list[int]]

    def __len__(self) -> int:
        return len(self.src)


def encode_pairs(
    pairs: Sequence[tuple[str, str]], src_tok: Tokenizer, tgt_tok: Tokenizer, max_len: int
) -> EncodedPairs:
    """Tokenize; drop pairs with an empty side or more than max_len tokens on either side."""
    src, tgt = [], []
    for s, t in pairs:
        si, ti = src_tok.encode(s), tgt_tok.encode(t)
        if 0 < len(si) <= max_len and 0 < len(ti) <= max_len:
            src.append(si)
            tgt.append(ti)
    return EncodedPairs(src, tgt)


def pad(seqs: Sequence[Sequence[int]], bos: bool = False, eos: bool = False) -> torch.Tensor:
    """Id lists -> LongTensor [B, max_len] right-padded with PAD (optionally BOS/EOS added)."""
    rows = [[BOS] * bos + list(s) + [EOS] * eos for s in seqs]
    out = torch.full((len(rows), max(map(len, rows))), PAD, dtype=torch.long)
    for i, row in enumerate(rows):
        out[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return out


@dataclass
class Batch:
    src: torch.Tensor  # [B, S]
    src_len: torch.Tensor  # [B] (on the CPU: packing needs it there)
    tgt_in: torch.Tensor  # [B, T]: BOS y
    tgt_out: torch.Tensor  # [B, T]: y EOS, then PAD
    n_tokens: int  # real target positions (y + EOS), what the loss averages over

    def to(self, device: torch.device) -> Batch:
        return Batch(
            self.src.to(device, non_blocking=True),
            self.src_len,
            self.tgt_in.to(device, non_blocking=True),
            self.tgt_out.to(device, non_blocking=True),
            self.n_tokens,
        )


def make_batch(data: EncodedPairs, index: Sequence[int]) -> Batch:
    # Longest source first: packing then needs no internal re-sort.
    index = sorted(index, key=lambda i: -len(data.src[i]))
    src = [data.src[i] for i in index]
    tgt = [data.tgt[i] for i in index]
    return Batch(
        src=pad(src),
        src_len=torch.tensor([len(s) for s in src], dtype=torch.long),
        tgt_in=pad(tgt, bos=True),
        tgt_out=pad(tgt, eos=True),
        n_tokens=sum(len(t) + 1 for t in tgt),
    )


def bucketed_batches(
    data: EncodedPairs, batch_size: int, seed: int, epoch: int, pool: int = 100
) -> list[list[int]]:
    """One epoch's batches (lists of example indices), deterministic for (seed, epoch)."""
    rng = random.Random(seed * 1_000_003 + epoch)
    order = list(range(len(data)))
    rng.shuffle(order)
    batches = []
    for start in range(0, len(order), batch_size * pool):
        chunk = sorted(
            order[start : start + batch_size * pool], key=lambda i: (len(data.src[i]), len(data.tgt[i]))
        )
        batches += [chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def sequential_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Batches for evaluation/inference: sorted by length (little padding), every index once."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[k : k + batch_size] for k in range(0, len(order), batch_size)]
