"""Drop sentence pairs that are too short or too long to be useful training examples."""

from __future__ import annotations

from core.errors import UserError

Pair = tuple[str, str]


def filter_by_length(pairs: list[Pair], max_words: int = 50, min_words: int = 1) -> tuple[list[Pair], int]:
    """Keep pairs whose sides both have `min_words`..`max_words` whitespace words.

    Returns (kept pairs, number dropped). The default of 50 keeps all but a couple of Tatoeba
    pairs (longest sides: 47 English, 54 French words) while removing the rare very long lines
    of web corpora: a length-bucketed batch is padded to its longest sentence, and an LSTM's
    cost grows with length, so a few 200-word lines would dominate time and memory.
    """
    if min_words < 0 or max_words < min_words:
        raise UserError(
            f"invalid length limits min_words={min_words}, max_words={max_words}: "
            f"use 0 <= min_words <= max_words"
        )
    kept = [
        (source, target)
        for source, target in pairs
        if min_words <= len(source.split()) <= max_words and min_words <= len(target.split()) <= max_words
    ]
    return kept, len(pairs) - len(kept)
