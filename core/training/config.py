"""Training settings, as a frozen dataclass with a reason for each default."""

from __future__ import annotations

from dataclasses import asdict, dataclass

OPTIMIZERS = ("adam", "sgd")
SCHEDULES = ("constant", "halving")


@dataclass(frozen=True)
class TrainConfig:
    optimizer: str = "adam"  # Adam converges in minutes on a CPU; "sgd" is the paper's recipe
    lr: float = 1e-3  # Adam's usual rate; the paper's SGD uses 0.7
    schedule: str = "constant"  # "halving": paper 3.4, halve every half epoch after epoch 5
    decay_start_epoch: float = 5.0  # paper 3.4: "after 5 epochs, we begun halving the learning rate"
    decay_every_epochs: float = 0.5  # paper 3.4: "every half epoch"
    batch_size: int = 64  # sentences per batch (per process); the paper used 128
    steps: int | None = 2000  # optimizer steps in all; None: use `epochs`
    epochs: float = 7.5  # paper 3.4: 7.5 epochs (used when steps is None)
    clip_norm: float = 5.0  # paper 3.4: rescale the gradient when its norm exceeds 5
    max_len: int = 50  # tokens per side; longer pairs are left out of training
    bucket_pool: int = (
        1000  # batches sorted together by length: almost no padding; batch order still shuffled
    )
    eval_every: int = 250  # steps between dev evaluations (perplexity and BLEU)
    checkpoint_every: int = 250  # steps between checkpoints (weights + resume state)
    log_every: int = 25  # steps between training-loss records
    dev_ppl_sentences: int = 1000  # dev pairs for perplexity (a cap keeps evaluation short)
    dev_bleu_sentences: int = 200  # dev pairs translated (greedy) for the BLEU curve
    seed: int = 0  # model init, dropout and data order
    amp: bool = True  # bf16 autocast on CUDA (ignored on CPU, where it is slower)

    @classmethod
    def from_dict(cls, d: dict) -> TrainConfig:
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})

    def to_dict(self) -> dict:
        return asdict(self)
