"""Scoring a trained run on a test set: the numbers `s2s eval` prints and the app shows."""

from __future__ import annotations

from pathlib import Path

from core.batching import encode_pairs
from core.corpus.readers import read_parallel
from core.errors import UserError
from core.evaluation import bleu_by_length, perplexity, score
from core.run.loaded import load_run
from core.search import SearchConfig
from core.translate import translate_best


def evaluate_run(
    run_path: str | Path,
    test_path: str | Path,
    config: SearchConfig = SearchConfig(),
    limit: int | None = None,
    device: str = "auto",
) -> dict:
    if limit is not None and limit < 1:
        raise UserError(f"--limit must be at least 1, not {limit}")
    run = load_run(run_path, device)
    src_path, tgt_path = str(test_path), None
    if "," in src_path and not Path(src_path).exists():  # two Moses files, as --data takes them
        src_path, tgt_path = (part.strip() for part in src_path.split(",", 1))
    pairs = [(s, t) for s, t in read_parallel(src_path, tgt_path) if s.strip()]
    if limit is not None:
        pairs = pairs[:limit]
    if not pairs:
        raise UserError(f"{test_path} holds no sentence pairs to score")
    sources, refs = [s for s, _ in pairs], [t for _, t in pairs]
    hyps = translate_best(run, sources, config)
    scores = score(hyps, refs)
    encoded = encode_pairs(pairs, run.src_tok, run.tgt_tok, max_len=10_000)
    loss, ppl = perplexity(run.model, encoded, run.device)
    return {
        "run": str(run.path),
        "step": run.step,
        "test": str(test_path),
        "n": len(pairs),
        "beam": config.beam,
        "bleu": scores.bleu,
        "chrf": scores.chrf,
        "ppl": ppl,
        "loss": loss,
        "signature": {"bleu": scores.bleu_signature, "chrf": scores.chrf_signature},
        "by_length": bleu_by_length(sources, hyps, refs),
    }
