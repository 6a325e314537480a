"""Scoring a trained run on a test set: the numbers `s2s eval` prints and the app shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from core.batching import encode_pairs
from core.config.search import SearchConfig
from core.corpus.dataset import load_data
from core.corpus.readers import Pair, read_parallel
from core.corpus.spec import DataSpec
from core.errors import UserError
from core.run.loaded import LoadedRun, load_run
from core.scoring import LengthBucket, bleu_by_length, perplexity, score
from core.translate import translate_best

MAX_EVAL_TOKENS = 10_000  # perplexity keeps every test pair, however long (training cuts at max_len)


def test_pairs(test: str | Path) -> list[Pair]:
    """The pairs of `--test`: a TSV file, SRC,REF Moses files, or grammar[:N] (its test split)."""
    spec = DataSpec.parse(str(test))
    pairs = load_data(spec).test if spec.is_grammar else read_parallel(*spec.paths)
    return [(s, t) for s, t in pairs if s.strip()]


@dataclass(frozen=True)
class TestScores:
    """A run scored on test pairs: what `s2s eval` prints (as JSON) and the app shows."""

    run: str  # the run folder
    step: int  # the checkpoint's step
    n: int  # pairs scored
    beam: int
    bleu: float
    chrf: float
    ppl: float
    loss: float  # mean cross-entropy per target token, in nats
    bleu_signature: str  # sacrebleu's: what a reader needs to compare BLEU across papers
    chrf_signature: str
    by_length: tuple[LengthBucket, ...]  # Figure 3's buckets
    test: str | None = None  # the --test spec, when scored from one
    hypotheses: tuple[str, ...] | None = None  # the translations, kept for a paired test between systems

    def to_dict(self) -> dict:
        """The JSON `s2s eval` prints: {run, step, n, beam, bleu, chrf, ppl, loss, signature:
        {bleu, chrf}, by_length: [{bucket, n, bleu}], test?} (hypotheses first, when kept)."""
        kept = {"hypotheses": list(self.hypotheses)} if self.hypotheses is not None else {}
        d = kept | {
            k: v
            for k, v in asdict(self).items()
            if k in ("run", "step", "n", "beam", "bleu", "chrf", "ppl", "loss")
        }
        d["signature"] = {"bleu": self.bleu_signature, "chrf": self.chrf_signature}
        d["by_length"] = [b.to_dict() for b in self.by_length]
        if self.test is not None:
            d["test"] = self.test
        return d

    @classmethod
    def from_dict(cls, d: dict) -> TestScores:
        scores = d["bleu"], d["chrf"], d["ppl"], d["loss"], d["signature"]["bleu"], d["signature"]["chrf"]
        by_length = tuple(LengthBucket.from_dict(b) for b in d["by_length"])
        hypotheses = None if d.get("hypotheses") is None else tuple(d["hypotheses"])
        return cls(d["run"], d["step"], d["n"], d["beam"], *scores, by_length, d.get("test"), hypotheses)


def evaluate_pairs(
    run: LoadedRun,
    pairs: Sequence[Pair],
    config: SearchConfig = SearchConfig(),
    keep_hypotheses: bool = False,
) -> TestScores:
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
    return TestScores(
        run=str(run.path),
        step=run.step,
        n=len(pairs),
        beam=config.beam,
        bleu=scores.bleu,
        chrf=scores.chrf,
        ppl=ppl,
        loss=loss,
        bleu_signature=scores.bleu_signature,
        chrf_signature=scores.chrf_signature,
        by_length=tuple(bleu_by_length(sources, hyps, refs)),
        hypotheses=tuple(hyps) if keep_hypotheses else None,
    )


def evaluate_run(
    run_path: str | Path,
    test_path: str | Path,
    config: SearchConfig = SearchConfig(),
    limit: int | None = None,
    device: str = "auto",
) -> TestScores:
    """`s2s eval`: score a run folder on `test_path` (at most `limit` pairs)."""
    if limit is not None and limit < 1:
        raise UserError(f"--limit must be at least 1, not {limit}")
    run = load_run(run_path, device)
    pairs = test_pairs(test_path)[:limit]
    if not pairs:
        raise UserError(f"{test_path} holds no sentence pairs to score")
    return replace(evaluate_pairs(run, pairs, config), test=str(test_path))
