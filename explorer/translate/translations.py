"""Translating for the Translate page: n-best tables, unknown words and cut inputs, per model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.analysis.attention import NOT_AN_EXPLANATION as NOT_AN_EXPLANATION
from core.render.attention import attention_heatmap
from core.run.loaded import MAX_SOURCE_TOKENS as MAX_SOURCE_TOKENS  # the Translate page's note
from explorer import cache

MAX_SENTENCES = 50  # one page of results; more belongs to `s2s translate`


def sentences_from(text: str) -> list[str]:
    """One sentence per non-blank line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Translations:
    """One model's translations of the page's sentences: per sentence, its n-best table, the words
    the model never saw (at most 20) and whether the model reads only its start."""

    run: str
    path: str
    step: int
    reversed: bool
    attention: bool
    nbest: tuple[pd.DataFrame, ...]  # rank, translation, log-prob, score, tokens, finished
    unknown: tuple[tuple[str, ...], ...]
    cut: tuple[bool, ...]

    @property
    def title(self) -> str:
        return f"{self.run} ({'reversed' if self.reversed else 'forward'}, step {self.step})"


def attention_figure(run: str | Path, sentence: str, beam: int):
    """The heatmap of where an attention model looked while translating `sentence`."""
    run = Path(run)
    m = cache.attention_map(*cache.run_key(run), sentence, beam)
    return attention_heatmap(m.source, m.target, m.weights, f"{run.name}: {m.translation}")


def nbest_table(hypotheses) -> pd.DataFrame:
    """One row per hypothesis of one sentence, best first."""
    rows = [
        (i + 1, t.text, round(t.logprob, 3), round(t.score, 3), t.n_tokens, t.finished)
        for i, t in enumerate(hypotheses)
    ]
    return pd.DataFrame(rows, columns=["rank", "translation", "log-prob", "score", "tokens", "finished"])


def translate_with(
    run: Path, sentences: list[str], beam: int, nbest: int, length_penalty: float
) -> Translations:
    """The model's n-best translations of every sentence (cached), with its unknown words and cuts."""
    path, mtime = cache.run_key(run)
    loaded = cache.model(run)
    nbests = cache.translations(path, mtime, tuple(sentences), beam, nbest, length_penalty)
    return Translations(
        run=loaded.name,
        path=str(loaded.path),
        step=loaded.step,
        reversed=loaded.model_config.reverse_source,
        attention=loaded.model_config.attention,
        nbest=tuple(nbest_table(hyps) for hyps in nbests),
        unknown=tuple(tuple(sorted(set(loaded.src_tok.unknown_words(s)))[:20]) for s in sentences),
        cut=tuple(len(loaded.src_tok.encode(s)) > MAX_SOURCE_TOKENS for s in sentences),
    )
