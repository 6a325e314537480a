"""The model's settings (no torch here: the CLI's parser and the app's form read them cheaply)."""

from __future__ import annotations

from dataclasses import dataclass

from core.options import AT_LEAST_ONE, FRACTION, POSITIVE, Declared, option


@dataclass(frozen=True)
class ModelConfig(Declared):
    # the trained tokenizers' sizes, never set by a user (None in a request, before they are trained)
    src_vocab: int | None = None
    tgt_vocab: int | None = None
    emb_dim: int = option(256, "word embedding size (paper: 1000)", range=AT_LEAST_ONE)
    hidden: int = option(512, "LSTM cells per layer (paper: 1000)", range=AT_LEAST_ONE)
    layers: int = option(
        2,  # the paper's 4 is the `paper` preset; 2 trains in minutes on a laptop
        "LSTM layers in the encoder and in the decoder (paper: 4; deeper was clearly better)",
        range=AT_LEAST_ONE,
    )
    dropout: float = option(
        0.2,  # the paper used none; small corpora overfit without it
        "dropout on embeddings, between layers and before the output layer (paper: none)",
        range=FRACTION,
    )
    reverse_source: bool = option(
        True, "reverse the source sentence (Sutskever et al. 2014, 3.3: it helps a lot)"
    )
    init_range: float = option(0.08, "weights start uniform in [-r, r] (paper 3.4: 0.08)", range=POSITIVE)
    attention: bool = option(
        False, "add Luong attention (not in the paper: removes the single-vector bottleneck)"
    )


def estimate_parameters(config: ModelConfig) -> int:
    """The parameter count of core.model.Seq2Seq(config), computed without allocating it."""
    e, h, layers = config.emb_dim, config.hidden, config.layers
    lstm = sum(4 * h * ((e if i == 0 else h) + h) + 8 * h for i in range(layers))
    attention = 3 * h * h if config.attention else 0
    return (
        (config.src_vocab + config.tgt_vocab) * e
        + 2 * lstm
        + attention
        + h * config.tgt_vocab
        + config.tgt_vocab
    )
