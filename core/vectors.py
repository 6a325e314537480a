"""Thought vectors: the encoder's final state, as numpy arrays.

Sutskever et al. 2014 (section 1): the sentence is represented by the LSTM's final state,
"8000 real numbers" for 4 layers x 1000 cells x (h, c). That is the default here:
state="hc", layers="all". Layout of a row: [h of layer 1..L, then c of layer 1..L] for the
layers chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from core.batching import sequential_batches
from core.errors import UserError
from core.run.loaded import LoadedRun
from core.vector_choice import ALL_LAYERS, DEFAULT_LAYERS, DEFAULT_STATE, STATES, TOP_LAYER, layer_index


def parse_layers(layers: str | int, n_layers: int) -> list[int]:
    """ "top" | "all" | a 0-based index (negative counts from the top) -> layer indices."""
    index = layer_index(layers)
    if layers == ALL_LAYERS:
        return list(range(n_layers))
    if layers == TOP_LAYER:
        return [n_layers - 1]
    if not -n_layers <= index < n_layers:
        raise UserError(f"layer {index} does not exist: the model has {n_layers} layers (0..{n_layers - 1})")
    return [index % n_layers]


def select_state(h: torch.Tensor, c: torch.Tensor, state: str, layers: list[int]) -> torch.Tensor:
    """h, c [L, B, H] -> [B, D] with D = len(layers) * H * (2 if state == "hc" else 1)."""
    if state not in STATES:
        raise UserError(f"state must be one of {', '.join(STATES)}, not {state!r}")
    parts = []
    if "h" in state:
        parts += [h[i] for i in layers]
    if "c" in state:
        parts += [c[i] for i in layers]
    return torch.cat(parts, dim=-1)


def vector_to_state(vectors: np.ndarray, n_layers: int, hidden: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The inverse of encode(state="hc", layers="all"): (n, 2*L*H) -> (h, c), each [L, n, H].

    What vector surgery needs to decode from an edited thought vector.
    """
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    if vectors.shape[1] != 2 * n_layers * hidden:
        raise UserError(
            f"a full state has {2 * n_layers * hidden} numbers (h and c of {n_layers} layers x {hidden}), "
            f"not {vectors.shape[1]}: embed with state=hc and layers=all"
        )
    t = torch.from_numpy(vectors).view(len(vectors), 2, n_layers, hidden)  # [n, (h|c), L, H]
    return t[:, 0].transpose(0, 1).contiguous(), t[:, 1].transpose(0, 1).contiguous()


def vector_dim(run: LoadedRun, state: str = DEFAULT_STATE, layers: str | int = DEFAULT_LAYERS) -> int:
    n = len(parse_layers(layers, run.model_config.layers))
    return n * run.model_config.hidden * (2 if state == "hc" else 1)


@torch.inference_mode()
def encode(
    run: LoadedRun,
    sentences: Sequence[str],
    state: str = DEFAULT_STATE,
    layers: str | int = DEFAULT_LAYERS,
    batch_size: int = 128,
    strict: bool = False,
) -> np.ndarray:
    """sentences -> float32 array (n, d), always 2-D. `strict`: unknown words are an error."""
    return encode_ids(run, run.source_ids(list(sentences), strict=strict), state, layers, batch_size)


@torch.inference_mode()
def encode_ids(
    run: LoadedRun,
    ids: Sequence[Sequence[int]],
    state: str = DEFAULT_STATE,
    layers: str | int = DEFAULT_LAYERS,
    batch_size: int = 128,
) -> np.ndarray:
    """Tokenized sources (natural order) -> float32 array (n, d), batched by length."""
    chosen = parse_layers(layers, run.model_config.layers)
    if state not in STATES:
        raise UserError(f"state must be one of {', '.join(STATES)}, not {state!r}")
    out = np.zeros((len(ids), vector_dim(run, state, layers)), dtype=np.float32)
    for index in sequential_batches([len(s) for s in ids], batch_size):
        src, src_len = run.tensors([ids[i] for i in index])
        h, c = run.model.encode(src, src_len).state
        out[index] = select_state(h, c, state, chosen).float().cpu().numpy()
    return out


@dataclass(frozen=True)
class Trajectory:
    """The top-layer state after each source token, in the order the encoder reads them."""

    tokens: list[str]  # as read (reversed for a reverse-source model)
    states: np.ndarray  # (n_tokens, d)


@torch.inference_mode()
def token_states(run: LoadedRun, sentences: Sequence[str], state: str = "h") -> list[Trajectory]:
    """One Trajectory per sentence; state h | c | hc of the top layer."""
    if state not in STATES:
        raise UserError(f"state must be one of {', '.join(STATES)}, not {state!r}")
    model, top = run.model, run.model_config.layers - 1
    out = []
    for ids in run.source_ids(list(sentences)):
        src, src_len = run.tensors([ids])
        read = model.encoder_input(src, src_len)  # [1, S]
        x = model.src_embed(read)  # [1, S, E]
        hc = None
        steps = []
        for t in range(read.size(1)):
            _, hc = model.encoder(x[:, t : t + 1], hc)
            steps.append(select_state(hc[0], hc[1], state, [top])[0])
        names = [run.src_tok.piece(i) for i in read[0].tolist()]
        out.append(Trajectory(names, torch.stack(steps).float().cpu().numpy()))
    return out
