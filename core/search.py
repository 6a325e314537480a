"""Greedy and batched beam search.

Beam search decodes all sentences x beams as one [B*K] batch: no Python loop over sentences.
A beam that has produced EOS stays in the top-K with its score frozen (it may only continue
with PAD at zero cost), so live and finished hypotheses compete on the same scale. A sentence
is done when its `nbest` best beams have all ended (exact for raw log-probabilities: a live
beam's score can only fall) or when it reaches its maximum length; done sentences leave the
batch, so the remaining steps run on fewer rows.

The work is bounded whatever the input: a beam of at most MAX_BEAM, outputs of at most
`max_len_cap` tokens (a cut hypothesis has finished=False, for the caller to say so), and a batch
whose step tensors would hold more than MAX_DECODE_FLOATS numbers is decoded in chunks of
sentences (the same hypotheses, fewer at a time).

Shape letters: B batch, A sentences still active, K beam, L layers, H hidden, V vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from core.config.search import SearchConfig
from core.model import Encoded, Seq2Seq
from core.tokenizer import BOS, EOS, PAD

# Numbers one decoding step may hold in a tensor (256 MiB in float32): logits [rows, V] and, with
# attention, the memory [rows, S, H], for rows = sentences x beam. A bigger batch is split.
MAX_DECODE_FLOATS = 2**26


@dataclass(frozen=True)
class Hypothesis:
    tokens: list[int]  # without BOS/EOS
    logprob: float  # sum of log-probabilities, EOS included
    score: float  # what the n-best list is ranked by (logprob, length-normalised if asked)
    finished: bool  # False when the length limit cut it


def max_lengths(src_len: torch.Tensor, config: SearchConfig) -> torch.Tensor:
    """src_len [B] -> output length limits [B] (long, 1 to max_len_cap)."""
    limit = src_len.double() * config.max_len_a + float(
        config.max_len_b
    )  # any a and b: clamped before .long()
    return limit.clamp(min=1, max=config.max_len_cap).long()


def sentences_per_chunk(model: Seq2Seq, beam: int, src_tokens: int) -> int:
    """Sentences decoded at once with `beam` hypotheses each, so that a step's logits [rows, V] and
    attention memory [rows, S, H] stay within MAX_DECODE_FLOATS (at least one sentence)."""
    c = model.config
    per_row = c.tgt_vocab + (src_tokens * c.hidden if c.attention else 0)
    return max(1, MAX_DECODE_FLOATS // (beam * per_row))


def _in_chunks(
    decode, model: Seq2Seq, encoded: Encoded, limit: torch.Tensor, config: SearchConfig, beam: int
):
    """decode(model, encoded, limit, config) over chunks of sentences, concatenated."""
    limit = limit.clamp(max=config.max_len_cap)  # also for callers that pass their own limits
    batch = encoded.state[0].size(1)
    src_tokens = 0 if encoded.memory is None else encoded.memory.size(1)
    size = sentences_per_chunk(model, beam, src_tokens)
    if batch <= size:
        return decode(model, encoded, limit, config)
    device = encoded.state[0].device
    out = []
    for start in range(0, batch, size):
        rows = torch.arange(start, min(start + size, batch), device=device)
        out += decode(model, encoded.select(rows), limit[start : start + size], config)
    return out


def length_normalised(logprob: float, length: int, alpha: float) -> float:
    """Wu et al. 2016 (GNMT): logprob / ((5 + |Y|) / 6) ** alpha; alpha = 0 keeps logprob."""
    return logprob if alpha == 0 else logprob / (((5 + length) / 6) ** alpha)


def _log_probs(model: Seq2Seq, tok: torch.Tensor, encoded: Encoded) -> tuple[torch.Tensor, tuple]:
    """tok [N] -> (log-probabilities [N, V] in float32, new state)"""
    hidden, state = model.decode(tok.unsqueeze(1), encoded)
    return model.logits(hidden[:, -1]).float().log_softmax(-1), state


@torch.inference_mode()
def greedy_search(
    model: Seq2Seq, src: torch.Tensor, src_len: torch.Tensor, config: SearchConfig = SearchConfig()
) -> list[Hypothesis]:
    """src [B, S], src_len [B] -> B hypotheses (the arg-max token at every step)."""
    return greedy_decode(model, model.encode(src, src_len), max_lengths(src_len, config), config)


@torch.inference_mode()
def greedy_decode(
    model: Seq2Seq, encoded: Encoded, limit: torch.Tensor, config: SearchConfig = SearchConfig()
) -> list[Hypothesis]:
    """Greedy decoding from any encoder state (e.g. an edited thought vector).

    encoded.state (h, c) each [L, B, H]; limit [B] output length limits -> B hypotheses
    """
    return _in_chunks(_greedy_chunk, model, encoded, limit, config, beam=1)


def _greedy_chunk(
    model: Seq2Seq, encoded: Encoded, limit: torch.Tensor, config: SearchConfig
) -> list[Hypothesis]:
    device = encoded.state[0].device
    batch = encoded.state[0].size(1)
    limit = limit.to(device)
    tok = torch.full((batch,), BOS, dtype=torch.long, device=device)
    total = torch.zeros(batch, device=device)
    ended = torch.zeros(batch, dtype=torch.bool, device=device)
    steps = []
    for t in range(int(limit.max())):
        logp, state = _log_probs(model, tok, encoded)
        encoded = Encoded(state, encoded.memory, encoded.src_mask)
        best, tok = logp.max(-1)
        tok = tok.masked_fill(ended, PAD)
        total += best.masked_fill(ended, 0.0)
        steps.append(tok)
        ended |= (tok == EOS) | (t + 1 >= limit)
        if ended.all():
            break
    rows = torch.stack(steps, 1).tolist()
    out = []
    for row, lp in zip(rows, total.tolist()):
        finished = EOS in row
        tokens = [t for t in row[: row.index(EOS)] if t != PAD] if finished else [t for t in row if t != PAD]
        out.append(
            Hypothesis(tokens, lp, length_normalised(lp, len(tokens) + 1, config.length_penalty), finished)
        )
    return out


@torch.inference_mode()
def beam_search(
    model: Seq2Seq, src: torch.Tensor, src_len: torch.Tensor, config: SearchConfig = SearchConfig()
) -> list[list[Hypothesis]]:
    """src [B, S], src_len [B] -> for each sentence its n-best list, best first."""
    return beam_decode(model, model.encode(src, src_len), max_lengths(src_len, config), config)


@torch.inference_mode()
def beam_decode(
    model: Seq2Seq, encoded: Encoded, limit: torch.Tensor, config: SearchConfig = SearchConfig()
) -> list[list[Hypothesis]]:
    """Beam search from any encoder state: (h, c) each [L, B, H], limit [B] -> B n-best lists."""
    return _in_chunks(_beam_chunk, model, encoded, limit, config, beam=config.beam)


def _beam_chunk(
    model: Seq2Seq, encoded: Encoded, limit: torch.Tensor, config: SearchConfig
) -> list[list[Hypothesis]]:
    k = config.beam
    device = encoded.state[0].device
    nbest = min(config.nbest, k)
    batch = encoded.state[0].size(1)
    encoded = encoded.select(torch.arange(batch, device=device).repeat_interleave(k))
    limit = limit.to(device)
    active = torch.arange(batch, device=device)  # [A] original sentence ids
    scores = torch.full((batch, k), float("-inf"), device=device)
    scores[:, 0] = 0.0  # all beams start identical: expand only the first
    hist = torch.empty(batch, k, 0, dtype=torch.long, device=device)
    ended = torch.zeros(batch, k, dtype=torch.bool, device=device)
    tok = torch.full((batch * k,), BOS, dtype=torch.long, device=device)
    results: list[list[Hypothesis]] = [[] for _ in range(batch)]
    for t in range(int(limit.max())):
        a = active.numel()
        logp, state = _log_probs(model, tok, encoded)
        vocab = logp.size(-1)
        logp = logp.view(a, k, vocab)
        frozen = torch.full((vocab,), float("-inf"), device=device)
        frozen[PAD] = 0.0
        logp = torch.where(ended.unsqueeze(-1), frozen, logp)
        scores, flat = (scores.unsqueeze(-1) + logp).view(a, k * vocab).topk(k, dim=1)  # [A, K]
        beam, new = flat // vocab, flat % vocab
        rows = (beam + torch.arange(a, device=device).unsqueeze(1) * k).view(-1)  # [A*K]
        hist = torch.cat(
            [hist.gather(1, beam.unsqueeze(-1).expand(-1, -1, hist.size(2))), new.unsqueeze(-1)], 2
        )
        ended = ended.gather(1, beam) | (new == EOS)
        # rows stay within each sentence's K beams, whose attention memory is identical
        encoded = Encoded((state[0][:, rows], state[1][:, rows]), encoded.memory, encoded.src_mask)
        tok = new.view(-1)
        done = ended[:, :nbest].all(1) | (t + 1 >= limit[active])  # [A]
        if done.any():
            for i in done.nonzero().flatten().tolist():
                results[int(active[i])] = _nbest(hist[i], scores[i], ended[i], nbest, config.length_penalty)
            keep = (~done).nonzero().flatten()
            if keep.numel() == 0:
                break
            keep_rows = (keep.unsqueeze(1) * k + torch.arange(k, device=device)).view(-1)
            active, scores, hist, ended, tok = (
                active[keep],
                scores[keep],
                hist[keep],
                ended[keep],
                tok[keep_rows],
            )
            encoded = encoded.select(keep_rows)
    return results


def _nbest(
    hist: torch.Tensor, scores: torch.Tensor, ended: torch.Tensor, n: int, alpha: float
) -> list[Hypothesis]:
    """One sentence's K beams -> its n best hypotheses. hist [K, t], scores [K], ended [K]."""
    hyps = []
    for row, lp, fin in zip(hist.tolist(), scores.tolist(), ended.tolist()):
        if lp == float("-inf"):
            continue
        tokens = [t for t in (row[: row.index(EOS)] if EOS in row else row) if t != PAD]
        length = len(tokens) + (1 if fin else 0)
        hyps.append(Hypothesis(tokens, lp, length_normalised(lp, length, alpha), bool(fin)))
    hyps.sort(key=lambda h: (h.finished, h.score), reverse=True)
    return hyps[:n]
