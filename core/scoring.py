"""Translation quality: sacrebleu BLEU and chrF (with signatures), perplexity, and BLEU by
source-length bucket (the paper's Figure 3)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import sacrebleu
import torch

from core.batching import EncodedPairs, make_batch, sequential_batches
from core.model import Seq2Seq

# Sutskever et al. 2014, Figure 3 (left): test sentences bucketed by length, x-axis ticks
# 4 7 8 12 17 22 28 35 79. Upper bounds (inclusive) in source words; the last is open.
LENGTH_BUCKETS = (7, 12, 17, 22, 28, 35, None)


@dataclass(frozen=True)
class Scores:
    bleu: float
    chrf: float
    bleu_signature: str
    chrf_signature: str
    n: int

    def to_dict(self) -> dict:
        return asdict(self)


def score(hypotheses: Sequence[str], references: Sequence[str]) -> Scores:
    """Corpus BLEU and chrF of detokenized hypotheses against one reference each."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(references)} references")
    bleu, chrf = sacrebleu.BLEU(), sacrebleu.CHRF()
    refs = [list(references)]
    return Scores(
        bleu=bleu.corpus_score(list(hypotheses), refs).score,
        chrf=chrf.corpus_score(list(hypotheses), refs).score,
        bleu_signature=str(bleu.get_signature()),
        chrf_signature=str(chrf.get_signature()),
        n=len(hypotheses),
    )


def bucket_label(upper: int | None, lower: int) -> str:
    return f"{lower}-{upper}" if upper is not None else f">{lower - 1}"


@dataclass(frozen=True)
class LengthBucket:
    """BLEU of the sentences whose source length falls in one of Figure 3's buckets."""

    bucket: str  # "1-7", "8-12", ..., ">35" (source words)
    n: int
    bleu: float

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> LengthBucket:
        return cls(**d)


def bleu_by_length(
    sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str]
) -> list[LengthBucket]:
    """BLEU per source-length bucket (whitespace words), Figure 3 style; empty buckets omitted."""
    rows, lower = [], 1
    lengths = [len(s.split()) for s in sources]
    for upper in LENGTH_BUCKETS:
        idx = [i for i, n in enumerate(lengths) if n >= lower and (upper is None or n <= upper)]
        if idx:
            bleu = sacrebleu.BLEU().corpus_score([hypotheses[i] for i in idx], [[references[i] for i in idx]])
            rows.append(LengthBucket(bucket_label(upper, lower), len(idx), bleu.score))
        lower = (upper or 0) + 1
    return rows


@torch.inference_mode()
def perplexity(
    model: Seq2Seq, data: EncodedPairs, device: torch.device, batch_size: int = 64
) -> tuple[float, float]:
    """(mean per-token cross-entropy in nats, perplexity) over every target token incl. EOS."""
    if len(data) == 0:
        return float("nan"), float("nan")
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for index in sequential_batches([len(s) for s in data.src], batch_size):
        b = make_batch(data, index).to(device)
        loss_sum, n = model(b.src, b.src_len, b.tgt_in, b.tgt_out)
        total += float(loss_sum)
        count += int(n)
    model.train(was_training)
    loss = total / count
    return loss, math.exp(min(loss, 50.0))
