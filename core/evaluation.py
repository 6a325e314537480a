"""Scoring a trained run on a test set: the numbers `s2s eval` prints and the app shows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core.batching import encode_pairs
from core.config.search import SearchConfig
from core.corpus.dataset import load_data
from core.corpus.readers import Pair, read_parallel
from core.corpus.spec import DataSpec
from core.errors import UserError
from core.run.loaded import LoadedRun, load_run
from core.scoring import bleu_by_length, perplexity, score
from core.translate import translate_best

MAX_EVAL_TOKENS = 10_000  # perplexity keeps every test pair, however long (training cuts at max_len)


def test_pairs(test: str | Path) -> list[Pair]:
    """The pairs of `--test`: a TSV file, SRC,REF Moses files, or grammar[:N] (its test split)."""
    spec = DataSpec.parse(str(test))
    pairs = load_data(spec).test if spec.is_grammar else read_parallel(*spec.paths)
    return [(s, t) for s, t in pairs if s.strip()]


def evaluate_pairs(
    run: LoadedRun,
    pairs: Sequence[Pair],
    config: SearchConfig = SearchConfig(),
    keep_hypotheses: bool = False,
) -> dict:
    """BLEU, chrF (with their sacrebleu signatures), perplexity and BLEU by source length (and the
    hypotheses themselves with `keep_hypotheses`, for a paired test between systems)."""
    if not pairs:
        raise UserError("there are no sentence pairs to score")
    sources, refs = [s for s, _ in pairs], [t for _, t in pairs]
    hyps = translate_best(run, sources, config)
    scores = score(hyps, refs)
    loss, ppl = perplexity(
        run.model, encode_pairs(pairs, run.src_tok, run.tgt_tok, MAX_EVAL_TOKENS), run.device
    )
    kept = {"hypotheses": list(hyps)} if keep_hypotheses else {}
    return {
        **kept,
        "run": str(run.path),
        "step": run.step,
        "n": len(pairs),
        "beam": config.beam,
        "bleu": scores.bleu,
        "chrf": scores.chrf,
        "ppl": ppl,
        "loss": loss,
        "signature": {"bleu": scores.bleu_signature, "chrf": scores.chrf_signature},
        "by_length": bleu_by_length(sources, hyps, refs),
    }


def evaluate_run(
    run_path: str | Path,
    test_path: str | Path,
    config: SearchConfig = SearchConfig(),
    limit: int | None = None,
    device: str = "auto",
) -> dict:
    """`s2s eval`: score a run folder on `test_path` (at most `limit` pairs)."""
    if limit is not None and limit < 1:
        raise UserError(f"--limit must be at least 1, not {limit}")
    run = load_run(run_path, device)
    pairs = test_pairs(test_path)[:limit]
    if not pairs:
        raise UserError(f"{test_path} holds no sentence pairs to score")
    return {**evaluate_pairs(run, pairs, config), "test": str(test_path)}
