"""Named presets: model and training settings that belong together (values of declared options)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.config import declared
from core.errors import UserError


@dataclass(frozen=True)
class Preset:
    description: str
    model: dict = field(default_factory=dict)  # ModelConfig fields
    train: dict = field(default_factory=dict)  # TrainConfig fields
    vocab_size: int = 8000  # SentencePiece vocabulary per side

    def __post_init__(self):  # a preset holds values of declared options, in their ranges
        for section, values in (("model", self.model), ("train", self.train)):
            options = {o.name: o for o in declared() if o.section == section}
            for name, value in values.items():
                if name not in options:
                    raise ValueError(f"preset sets {name!r}, which is not a {section} option")
                options[name].check(value)


# fmt: off
PRESETS = {
    "tiny": Preset(
        "seconds on a CPU: for tests and smoke runs",
        model=dict(emb_dim=32, hidden=64, layers=2, dropout=0.0),
        train=dict(optimizer="adam", lr=3e-3, batch_size=32, steps=300, eval_every=100, checkpoint_every=100,
                   log_every=10, dev_ppl_sentences=200, dev_bleu_sentences=50),
        vocab_size=1000,
    ),
    "fast": Preset(
        "minutes on a laptop CPU: the built-in corpus reaches dev BLEU > 60",
        model=dict(emb_dim=128, hidden=256, layers=2, dropout=0.1),
        train=dict(optimizer="adam", lr=2e-3, batch_size=64, steps=4000, eval_every=250, checkpoint_every=250,
                   log_every=25),
        vocab_size=8000,
    ),
    "paper": Preset(
        "Sutskever et al. 2014: 4 layers x 1000 cells, SGD 0.7 halved after epoch 5, batch 128 (GPU)",
        model=dict(emb_dim=1000, hidden=1000, layers=4, dropout=0.0),  # paper 3.4
        train=dict(optimizer="sgd", lr=0.7, schedule="halving", batch_size=128, steps=None, epochs=7.5,
                   clip_norm=5.0, eval_every=1000, checkpoint_every=1000, log_every=50),  # paper 3.4
        vocab_size=32000,
    ),
}
# fmt: on


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise UserError(f"unknown preset {name!r}: choose one of {', '.join(PRESETS)}") from None
