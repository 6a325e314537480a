"""Translating sentences with a loaded run: batched, sorted by length, n-best with scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.batching import sequential_batches
from core.config.search import SearchConfig
from core.errors import UserError
from core.run.loaded import LoadedRun
from core.search import beam_search, greedy_search


@dataclass(frozen=True)
class Translation:
    text: str
    logprob: float  # sum of token log-probabilities, EOS included
    score: float  # the ranking score (length-normalised if asked)
    finished: bool  # False when cut by the length limit
    n_tokens: int


def translate(
    run: LoadedRun, sentences: Sequence[str], config: SearchConfig = SearchConfig(), batch_size: int = 64
) -> list[list[Translation]]:
    """Each sentence -> its n-best list (best first). beam 1 is greedy search.

    Sources are cut at MAX_SOURCE_TOKENS (LoadedRun.source_ids) and a batch too wide for one
    decoding step (beam x sentences) is decoded in chunks (core.search), so memory stays bounded;
    a translation cut by the length limit has finished=False, for the caller to say so."""
    if batch_size < 1:
        raise UserError(f"--batch-size must be at least 1, not {batch_size}")
    ids = run.source_ids(sentences)
    results: list[list[Translation]] = [[] for _ in ids]
    for index in sequential_batches([len(s) for s in ids], batch_size):
        src, src_len = run.tensors([ids[i] for i in index])
        if config.beam == 1:
            nbests = [[h] for h in greedy_search(run.model, src, src_len, config)]
        else:
            nbests = beam_search(run.model, src, src_len, config)
        for i, nbest in zip(index, nbests):
            results[i] = [
                Translation(run.tgt_tok.decode(h.tokens), h.logprob, h.score, h.finished, len(h.tokens))
                for h in nbest
            ]
    return results


def translate_best(
    run: LoadedRun, sentences: Sequence[str], config: SearchConfig = SearchConfig()
) -> list[str]:
    return [nbest[0].text for nbest in translate(run, sentences, config)]
