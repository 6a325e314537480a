"""Where an attention model looked: the Luong attention weights of its own best translation.

    m = attention_map(run, "John admires Mary")     # m.weights (T, S), m.source, m.target

Rows are output tokens (EOS last), columns the source tokens in their natural order (a
reverse-source model reads them backwards; the columns are put back). Attention weights are
not an explanation of the output (Jain & Wallace 2019): they show where the decoder drew its
context from, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.config.search import SearchConfig
from core.errors import UserError
from core.run.loaded import LoadedRun
from core.search import beam_search, greedy_search
from core.tokenizer import BOS, EOS

NOT_AN_EXPLANATION = (
    "Attention weights show where the decoder drew its context from; they are not an explanation "
    "of the translation (Jain & Wallace 2019)."
)


@dataclass(frozen=True)
class AttentionMap:
    source: list[str]  # source pieces, natural order
    target: list[str]  # output pieces, then "</s>"
    weights: np.ndarray  # (T, S): row t is output token t's weights over the source; rows sum to 1
    translation: str


@torch.inference_mode()
def attention_map(run: LoadedRun, sentence: str, config: SearchConfig = SearchConfig()) -> AttentionMap:
    """Translate `sentence` (beam search as configured) and read the attention of each output token."""
    model = run.model
    if model.attention is None:
        raise UserError(f"run {run.name} has no attention: train one with --attention to see its weights")
    (ids,) = run.source_ids([sentence])
    src, src_len = run.tensors([ids])
    if config.beam == 1:
        best = greedy_search(model, src, src_len, config)[0]
    else:
        best = beam_search(model, src, src_len, config)[0][0]
    encoded = model.encode(src, src_len)
    tgt_in = torch.tensor([[BOS, *best.tokens]], device=run.device)  # [1, T]
    y, _ = model.decoder(model.tgt_embed(tgt_in), encoded.state)  # eval mode: no dropout
    weights = model.attention.weights(y, encoded.memory, encoded.src_mask)[0].float().cpu().numpy()  # [T, S]
    if model.config.reverse_source:
        weights = weights[:, ::-1]  # memory is in reading order; columns back to natural order
    return AttentionMap(
        source=[run.src_tok.piece(i) for i in ids],
        target=[run.tgt_tok.piece(i) for i in best.tokens] + [run.tgt_tok.piece(EOS)],
        weights=np.ascontiguousarray(weights),
        translation=run.tgt_tok.decode(best.tokens),
    )
