"""Which thought vector: the part of the encoder's final state (h, c or both) and its layers.

The one declaration of these choices for every command, widget and default (core.vectors reads
them; it needs torch, this module does not, so parsers can import it cheaply).
"""

from __future__ import annotations

from core.errors import UserError

STATE_LABELS = {"hc": "h and c (the paper's vector)", "h": "h (hidden state)", "c": "c (memory cell)"}
STATES = tuple(STATE_LABELS)  # every --state and State widget offers these, in this order
ALL_LAYERS, TOP_LAYER = "all", "top"
NAMED_LAYERS = (ALL_LAYERS, TOP_LAYER)  # besides a layer's 0-based index (negative: from the top)
DEFAULT_STATE, DEFAULT_LAYERS = "hc", ALL_LAYERS  # the paper's thought vector: (h, c) of every layer
LAYERS_HELP = "top | all | a layer index (default all)"


def layer_choices(n_layers: int) -> list[str]:
    """What a Layers widget offers for a model of n_layers: "all", "top", "0", "1", ..."""
    return [*NAMED_LAYERS, *map(str, range(n_layers))]


def layer_index(layers: str | int) -> int | None:
    """None for a named choice ("all", "top"), else the layer's index; a UserError otherwise."""
    if layers in NAMED_LAYERS:
        return None
    try:
        return int(layers)
    except (TypeError, ValueError):
        raise UserError(f"layers must be top, all or a layer number, not {layers!r}") from None
