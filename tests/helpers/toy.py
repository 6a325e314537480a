"""Toy tasks and tiny training helpers shared by the tests."""

from __future__ import annotations

import random
from pathlib import Path

import torch

from core.batching import EncodedPairs
from core.config.model import ModelConfig
from core.config.tokenizer import TokenizerConfig
from core.config.training import TrainConfig
from core.model import Seq2Seq
from core.training.session import RunRequest
from core.training.trainer import Position, Trainer

NUMBERS_TSV = Path(__file__).parents[1] / "data" / "numbers.tsv"  # English number words -> French, 600 pairs
NUMBERS_MODEL = ModelConfig(
    emb_dim=16, hidden=32, layers=2, dropout=0.3
)  # dropout on: resume must restore its RNG
NUMBERS_TRAIN = TrainConfig(
    batch_size=16,
    steps=24,
    eval_every=8,
    checkpoint_every=8,
    log_every=4,
    lr=3e-3,
    dev_ppl_sentences=20,
    dev_bleu_sentences=10,
    seed=3,
)
NUMBERS_WORDS = TokenizerConfig(kind="word", vocab_size=100)


def numbers_request(out, **kw) -> RunRequest:
    """`s2s train` of a tiny model on numbers.tsv into `out` (a few seconds); `kw` overrides a field."""
    fields = {
        "data": str(NUMBERS_TSV),
        "model": NUMBERS_MODEL,
        "train": NUMBERS_TRAIN,
        "tokenizer": NUMBERS_WORDS,
    }
    return RunRequest(**{**fields, "out": out, **kw})


def reverse_task(n: int, seed: int, vocab: int = 12, lo: int = 3, hi: int = 7) -> EncodedPairs:
    """Random token sequences; the target is the sequence reversed."""
    rng = random.Random(seed)
    src = [[rng.randrange(4, vocab) for _ in range(rng.randint(lo, hi))] for _ in range(n)]
    return EncodedPairs(src, [s[::-1] for s in src])


def unseen(test: EncodedPairs, train: EncodedPairs) -> EncodedPairs:
    seen = {tuple(s) for s in train.src}
    keep = [i for i, s in enumerate(test.src) if tuple(s) not in seen]
    return EncodedPairs([test.src[i] for i in keep], [test.tgt[i] for i in keep])


def train_reverse_task_model(steps: int = 1500, **model_kw) -> tuple[Seq2Seq, EncodedPairs]:
    """A 1-layer LSTM trained on the reverse task; returns it (eval mode) and unseen test data."""
    torch.manual_seed(0)
    train = reverse_task(4000, seed=0)
    test = unseen(reverse_task(300, seed=1), train)
    config = ModelConfig(
        src_vocab=12, tgt_vocab=12, emb_dim=32, hidden=128, layers=1, dropout=0.0, **model_kw
    )
    model = Seq2Seq(config)
    train_config = TrainConfig(lr=3e-3, batch_size=64, steps=steps, log_every=100, eval_every=10**9,
                               checkpoint_every=10**9)  # fmt: skip
    optimizer = torch.optim.Adam(model.parameters(), lr=train_config.lr)
    Trainer(model, optimizer, train, train_config, steps, torch.device("cpu")).run(Position())
    return model.eval(), test
