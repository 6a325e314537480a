"""Vector surgery: decode from edited thought vectors.

Without attention the decoder sees the source only through the encoder's final (h, c) of every
layer (Sutskever et al. 2014), so any state can be decoded: a sentence's own state gives its
translation, a point between two sentences' states gives... whatever the decoder makes of it,
and adding the mean active -> passive difference of a suite asks whether voice is a direction.

States are full (h, c): vectors (n, 2*L*H) in core.vectors' layout [h of layers..., c of
layers...], or h and c each [L, n, H].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import torch

from core.config.search import MAX_OUTPUT_TOKENS, SearchConfig
from core.corpus.probe_suite import ProbeTable
from core.errors import UserError
from core.model import Encoded
from core.run.loaded import LoadedRun
from core.search import beam_decode, greedy_decode
from core.vectors import encode, vector_to_state

MAX_STEPS = 200  # points on an interpolation path, each a decoded sentence


@dataclass(frozen=True)
class PathPoint:
    """One point of an interpolation: the mix of the two states, and what it decodes to."""

    alpha: float  # 0: the source sentence's state, 1: the target's
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class OffsetEdit:
    """A sentence decoded before and after adding a suite's mean column difference to its state."""

    sentence: str
    before: str
    after: str
    offset_norm: float  # the offset's length (scale 1)
    state_norm: float  # the sentence's state's length, to compare with
    n_families: int  # families the mean difference is taken over

    def to_dict(self) -> dict:
        return asdict(self)


def _no_attention(run: LoadedRun) -> None:
    if run.model_config.attention:
        raise UserError(
            f"run {run.name} uses attention: its decoder also reads every encoder output, so a "
            f"state alone cannot be decoded; use a run without attention"
        )


def sentence_states(run: LoadedRun, sentences: Sequence[str]) -> np.ndarray:
    """sentences -> full states (n, 2*L*H); unknown words are a UserError naming them."""
    return encode(run, sentences, state="hc", layers="all", strict=True)


def decode_states(run: LoadedRun, h, c, beam: int = 1, max_len: int = 50) -> list[str]:
    """h, c each [L, n, H] (numpy or torch) -> n translations (greedy when beam == 1)."""
    _no_attention(run)
    if beam < 1 or not 1 <= max_len <= MAX_OUTPUT_TOKENS:
        raise UserError(
            f"beam must be at least 1 and max_len between 1 and {MAX_OUTPUT_TOKENS}, not {beam} and {max_len}"
        )
    h, c = _tensor(h, run.device), _tensor(c, run.device)
    if not (torch.isfinite(h).all() and torch.isfinite(c).all()):
        raise UserError("the states to decode hold NaN or infinite numbers: embed the sentences again")
    expected = (run.model_config.layers, run.model_config.hidden)
    if h.shape != c.shape or h.dim() != 3 or (h.size(0), h.size(2)) != expected:
        raise UserError(
            f"h and c must each be [L={expected[0]}, n, H={expected[1]}], "
            f"not {list(h.shape)}, {list(c.shape)}"
        )
    encoded = Encoded((h, c), memory=None, src_mask=None)
    limit = torch.full((h.size(1),), max_len, dtype=torch.long)
    if beam == 1:
        hyps = greedy_decode(run.model, encoded, limit)
    else:
        hyps = [
            nbest[0] for nbest in beam_decode(run.model, encoded, limit, SearchConfig(beam=beam, nbest=1))
        ]
    return [run.tgt_tok.decode(hyp.tokens) for hyp in hyps]


def _tensor(x, device: torch.device) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x.detach().float().to(device)
    return torch.as_tensor(np.asarray(x, dtype=np.float32)).to(device)


def decode_vectors(run: LoadedRun, vectors, beam: int = 1, max_len: int = 50) -> list[str]:
    """Full state vectors (n, 2*L*H) -> n translations."""
    h, c = vector_to_state(vectors, run.model_config.layers, run.model_config.hidden)
    return decode_states(run, h, c, beam, max_len)


def interpolate(
    run: LoadedRun, source: str, target: str, steps: int = 5, beam: int = 1, max_len: int = 50
) -> list[PathPoint]:
    """Decode `steps` evenly spaced points from source's state (alpha 0) to target's (alpha 1)
    (h and c are both interpolated linearly)."""
    if not 2 <= steps <= MAX_STEPS:
        raise UserError(
            f"interpolation needs at least 2 steps (the two ends) and at most {MAX_STEPS}, not {steps}"
        )
    a, b = sentence_states(run, [source, target])
    alphas = np.linspace(0.0, 1.0, steps)
    texts = decode_vectors(run, (1 - alphas)[:, None] * a + alphas[:, None] * b, beam, max_len)
    return [PathPoint(float(alpha), text) for alpha, text in zip(alphas, texts)]


def column_offset(run: LoadedRun, table: ProbeTable, from_column: str, to_column: str) -> np.ndarray:
    """The mean of state(to) - state(from) over the suite's families: (2*L*H,)."""
    n = len(table.rows)
    states = sentence_states(run, table.column(from_column) + table.column(to_column))
    return (states[n:] - states[:n]).mean(0)


def offset_and_decode(
    run: LoadedRun,
    table: ProbeTable,
    sentence: str,
    scale: float = 1.0,
    from_column: str = "active",
    to_column: str = "passive",
    beam: int = 1,
    max_len: int = 50,
) -> OffsetEdit:
    """Add `scale` x the suite's mean from -> to difference to `sentence`'s state and decode: does
    the output turn passive (or past, for the tense suite's present -> past)?"""
    if not np.isfinite(scale):
        raise UserError(f"the scale must be a number, not {scale}")
    offset = column_offset(run, table, from_column, to_column)
    (state,) = sentence_states(run, [sentence])
    edited = state.astype(np.float64) + scale * offset.astype(np.float64)
    if np.abs(edited).max() > np.finfo(np.float32).max:
        raise UserError(f"a scale of {scale:g} takes the state beyond float32 numbers: use one near 1 or -1")
    before, after = decode_vectors(run, np.stack([state, edited]), beam, max_len)
    return OffsetEdit(
        sentence, before, after, float(np.linalg.norm(offset)), float(np.linalg.norm(state)), len(table.rows)
    )
