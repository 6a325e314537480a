"""What the trainer measures at every dev evaluation: perplexity and greedy BLEU on the dev split."""

from __future__ import annotations

import torch

from core.batching import encode_pairs, pad
from core.config.search import SearchConfig
from core.config.training import TrainConfig
from core.corpus.dataset import ParallelData
from core.run.weights import unwrap
from core.scoring import perplexity, score
from core.search import greedy_search
from core.tokenizer import Tokenizer


def make_evaluator(
    model, data: ParallelData, src_tok: Tokenizer, tgt_tok: Tokenizer, config: TrainConfig, device
):
    """Dev perplexity (capped number of pairs) and greedy BLEU on a fixed dev sample."""
    dev_ppl = encode_pairs(data.dev[: config.dev_ppl_sentences], src_tok, tgt_tok, config.max_len)
    sample = [(s, t) for s, t in data.dev[: config.dev_bleu_sentences] if src_tok.encode(s)]
    src_ids = [src_tok.encode(s)[: config.max_len] for s, _ in sample]

    def evaluate() -> dict:
        net = unwrap(model)
        loss, ppl = perplexity(net, dev_ppl, device)
        hyps = []
        net.eval()
        for start in range(0, len(src_ids), 64):
            chunk = src_ids[start : start + 64]
            src, src_len = pad(chunk).to(device), torch.tensor([len(s) for s in chunk])
            hyps += [tgt_tok.decode(h.tokens) for h in greedy_search(net, src, src_len, SearchConfig(beam=1))]
        scores = score(hyps, [t for _, t in sample]) if sample else None
        return {
            "loss": loss,
            "ppl": ppl,
            "bleu": scores.bleu if scores else None,
            "chrf": scores.chrf if scores else None,
            "n_ppl": len(dev_ppl),
            "n_bleu": len(sample),
        }

    return evaluate
