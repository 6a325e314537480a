"""The tokenizer's settings (declared options: core.options), and which tokenizer a run gets by default."""

from __future__ import annotations

from dataclasses import dataclass

from core.options import Declared, Range, option

KINDS = ("unigram", "bpe", "word")


@dataclass(frozen=True)
class TokenizerConfig(Declared):
    kind: str = option(
        "unigram",  # SentencePiece unigram by default; "word" for the closed grammar lexicon
        "unigram or bpe (SentencePiece), or word (whitespace; the built-in grammar's default)",
        choices=KINDS,
        cli="tokenizer",
    )
    vocab_size: int = option(
        8000,  # per side; small corpora get fewer (SentencePiece's hard limit is off)
        "tokenizer vocabulary per side",
        range=Range(low=16, text="at least 16"),  # SentencePiece needs room beyond the 4 specials
    )
    character_coverage: float = 1.0  # keep every character: French accents must survive


def default_kind(builtin_grammar: bool) -> str:
    """The tokenizer a run gets when none is asked for: words for the closed lexicon of the
    built-in `grammar[:N]` corpus, SentencePiece unigram for everything else."""
    return "word" if builtin_grammar else "unigram"
