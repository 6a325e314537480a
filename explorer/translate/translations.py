"""Translating for the Translate page: n-best tables, unknown words and cut inputs, per model."""

from __future__ import annotations

from pathlib import Path

from core.analysis.attention import NOT_AN_EXPLANATION as NOT_AN_EXPLANATION
from core.run.loaded import MAX_SOURCE_TOKENS as MAX_SOURCE_TOKENS  # the Translate page's note
from explorer import cache
from explorer.figures_attention import attention_heatmap

MAX_SENTENCES = 50  # one page of results; more belongs to `s2s translate`


def sentences_from(text: str) -> list[str]:
    """One sentence per non-blank line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def attention_figure(run: str | Path, sentence: str, beam: int):
    """The heatmap of where an attention model looked while translating `sentence`."""
    run = Path(run)
    m = cache.attention_map(*cache.run_key(run), sentence, beam)
    return attention_heatmap(m["source"], m["target"], m["weights"], f"{run.name}: {m['translation']}")


def translate_with(run: Path, sentences: list[str], beam: int, nbest: int, length_penalty: float) -> dict:
    """{"run", "step", "nbest": [[row per hypothesis]], "unknown": [[word]], "cut": [bool]} per sentence."""
    path, mtime = cache.run_key(run)
    loaded = cache.model(run)
    nbests = cache.translations(path, mtime, tuple(sentences), beam, nbest, length_penalty)
    rows = [
        [
            {
                "rank": i + 1,
                "translation": t.text,
                "log-prob": round(t.logprob, 3),
                "score": round(t.score, 3),
                "tokens": t.n_tokens,
                "finished": t.finished,
            }
            for i, t in enumerate(hyps)
        ]
        for hyps in nbests
    ]
    return {
        "run": loaded.name,
        "path": str(loaded.path),
        "step": loaded.step,
        "reversed": loaded.model_config.reverse_source,
        "attention": loaded.model_config.attention,
        "nbest": rows,
        "unknown": [sorted(set(loaded.src_tok.unknown_words(s)))[:20] for s in sentences],
        "cut": [len(loaded.src_tok.encode(s)) > MAX_SOURCE_TOKENS for s in sentences],
    }
