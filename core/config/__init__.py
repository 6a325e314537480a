"""The settings of a run, one frozen dataclass each, every option declared once (core.options).

model      ModelConfig: the encoder-decoder's sizes, dropout, source reversal, attention
tokenizer  TokenizerConfig: the tokenizer kind and vocabulary, and the default kind for a corpus
training   TrainConfig: optimizer, schedule, batch, length, evaluation and checkpoint intervals

No torch here: the CLI's parser and the app's form read them cheaply. `declared()` is the one
list the parser, the form and the presets are built from.
"""

from __future__ import annotations

from core.config.model import ModelConfig
from core.config.tokenizer import TokenizerConfig
from core.config.training import TrainConfig
from core.options import Option, options_of


def declared() -> list[Option]:
    """Every model, tokenizer and training option, in the order the parser and the form show them."""
    return (
        options_of(ModelConfig, "model")
        + options_of(TokenizerConfig, "tokenizer")
        + options_of(TrainConfig, "train")
    )
