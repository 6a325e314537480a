"""Training settings, as a frozen dataclass with a reason for each default (declared options:
core.options)."""

from __future__ import annotations

from dataclasses import dataclass

from core.options import AT_LEAST_ONE, NOT_NEGATIVE, POSITIVE, SEED, Declared, option

OPTIMIZERS = ("adam", "sgd")
SCHEDULES = ("constant", "halving")
MIN_RISE = 1.0  # BLEU points: with `patience`, a new best must beat the old one by more than this to count
LENGTH = "length"  # the option group of steps and epochs: a run's length is given by one of them


@dataclass(frozen=True)
class TrainConfig(Declared):
    optimizer: str = option(
        "adam",  # Adam converges in minutes on a CPU; "sgd" is the paper's recipe
        "adam (fast on small data) or sgd (the paper's recipe)",
        choices=OPTIMIZERS,
    )
    lr: float = option(1e-3, "learning rate (Adam: about 1e-3; paper SGD: 0.7)", range=POSITIVE)
    schedule: str = option(
        "constant",
        "constant, or halving: halve the rate every half epoch after epoch 5 (paper 3.4)",
        choices=SCHEDULES,
    )
    decay_start_epoch: float = option(
        5.0,  # paper 3.4: "after 5 epochs, we begun halving the learning rate"
        "with the halving schedule: the epoch after which the rate starts to halve (paper 3.4: 5)",
        range=NOT_NEGATIVE,
        advanced=True,
    )
    decay_every_epochs: float = option(
        0.5,  # paper 3.4: "every half epoch"
        "with the halving schedule: epochs between two halvings (paper 3.4: 0.5)",
        range=POSITIVE,
        advanced=True,
    )
    batch_size: int = option(
        64,  # the paper used 128; 64 steps more often on a CPU
        "sentences per batch and process (paper: 128)",
        range=AT_LEAST_ONE,
    )
    steps: int | None = option(
        2000,  # None: `epochs` decides
        "optimizer steps in all (with --resume: extend to this)",
        range=AT_LEAST_ONE,
        group=LENGTH,
    )
    epochs: float = option(
        7.5,  # paper 3.4: 7.5 epochs (used when steps is None)
        "passes over the training data (with --resume: extend to this)",
        range=POSITIVE,
        group=LENGTH,
    )
    clip_norm: float = option(
        5.0,  # paper 3.4: rescale the gradient when its norm exceeds 5
        "rescale the gradient when its norm exceeds this (paper 3.4: 5)",
        range=POSITIVE,
    )
    max_len: int = option(
        50, "training pairs with more tokens on either side are left out", range=AT_LEAST_ONE
    )
    bucket_pool: int = option(
        1000,  # batches sorted together by length: almost no padding; batch order still shuffled
        "batches sorted together by length: larger means less padding, less shuffling",
        range=AT_LEAST_ONE,
        advanced=True,
    )
    eval_every: int = option(
        250, "steps between dev evaluations (perplexity, greedy BLEU)", range=AT_LEAST_ONE
    )
    checkpoint_every: int = option(
        250, "steps between checkpoints (weights and exact-resume state)", range=AT_LEAST_ONE
    )
    log_every: int = option(25, "steps between training-loss records in metrics.jsonl", range=AT_LEAST_ONE)
    dev_ppl_sentences: int = option(
        1000,  # a cap keeps evaluation short
        "dev pairs scored for the perplexity curve",
        range=AT_LEAST_ONE,
        advanced=True,
    )
    dev_bleu_sentences: int = option(
        200, "dev sentences translated (greedy) for the BLEU curve", range=NOT_NEGATIVE, advanced=True
    )
    patience: int = option(
        0,  # 0: train every step; Home's "Reproduce Figure 2" stops when both models have stopped rising
        f"stop early once dev BLEU has not risen (by more than {MIN_RISE:g}) for this many dev "
        "evaluations (0: train every step)",
        range=NOT_NEGATIVE,
    )
    seed: int = option(0, "seed for the initial weights, dropout and data order", range=SEED)
    amp: bool = option(
        True,  # bf16 autocast on CUDA; ignored on CPU, where it is slower
        "bf16 autocast on a GPU (ignored on the CPU)",
        advanced=True,
    )
    deterministic: bool = option(
        False,  # CPU runs repeat their bits already; on a GPU determinism costs speed
        "on a GPU: deterministic kernels (cuDNN deterministic, no cuDNN autotuning, "
        "torch.use_deterministic_algorithms), so a resumed or repeated run gives the same bits; "
        "slower. CPU runs are deterministic without it",
        advanced=True,
    )
