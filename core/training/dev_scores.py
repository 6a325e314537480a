"""What the trainer measures at every dev evaluation: perplexity and greedy BLEU on the dev split."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch

from core.batching import encode_pairs, pad
from core.config.search import SearchConfig
from core.config.training import TrainConfig
from core.corpus.dataset import ParallelData
from core.run.weights import unwrap
from core.scoring import perplexity, score
from core.search import greedy_search
from core.tokenizer import Tokenizer

GREEDY = SearchConfig(beam=1)  # the BLEU curve decodes greedily: cheap, and it tracks beam search


@dataclass(frozen=True)
class DevScores:
    """One dev evaluation: the fields of a "dev" record in metrics.jsonl (besides kind and step)."""

    loss: float  # mean cross-entropy per target token, in nats
    ppl: float
    bleu: float | None  # None when no dev sentence was translated (dev_bleu_sentences 0, or none read)
    chrf: float | None
    n_ppl: int  # dev pairs in the perplexity
    n_bleu: int  # dev sentences translated for BLEU

    def to_dict(self) -> dict:
        return asdict(self)


def dev_scorer(
    model, data: ParallelData, src_tok: Tokenizer, tgt_tok: Tokenizer, config: TrainConfig, device
) -> Callable[[], DevScores]:
    """Dev perplexity (capped number of pairs) and greedy BLEU on a fixed dev sample."""
    dev_ppl = encode_pairs(data.dev[: config.dev_ppl_sentences], src_tok, tgt_tok, config.max_len)
    sample = [(s, t) for s, t in data.dev[: config.dev_bleu_sentences] if src_tok.encode(s)]
    src_ids = [src_tok.encode(s)[: config.max_len] for s, _ in sample]

    def scores() -> DevScores:
        net = unwrap(model)
        loss, ppl = perplexity(net, dev_ppl, device)
        hyps = []
        net.eval()
        for start in range(0, len(src_ids), 64):
            chunk = src_ids[start : start + 64]
            src, src_len = pad(chunk).to(device), torch.tensor([len(s) for s in chunk])
            hyps += [tgt_tok.decode(h.tokens) for h in greedy_search(net, src, src_len, GREEDY)]
        bleu = score(hyps, [t for _, t in sample]) if sample else None
        return DevScores(loss, ppl, bleu and bleu.bleu, bleu and bleu.chrf, len(dev_ppl), len(sample))

    return scores
