"""The built-in English -> French grammar corpus: the paper's Figure 2 sentences and their kin.

corpus = generate_corpus(50_000, seed=0)    # train/dev/test pairs and probe suites
write_corpus("data/grammar")                 # the same, as TSV files
english_to_french("John admires her")        # "John l'admire"; None outside the grammar
"""

from core.corpus.grammar.frames import KINDS, TENSES, Entity, Frame
from core.corpus.grammar.generate import GrammarCorpus, generate_corpus, write_corpus
from core.corpus.grammar.minimal_pairs import (
    FIGURE2_LEFT,
    FIGURE2_RIGHT,
    build_probe_suites,
    builtin_probe_suites,
)
from core.corpus.grammar.parse import english_to_french, parse_english
from core.corpus.grammar.sentences import translate_frame

__all__ = [
    "FIGURE2_LEFT",
    "FIGURE2_RIGHT",
    "KINDS",
    "TENSES",
    "Entity",
    "Frame",
    "GrammarCorpus",
    "build_probe_suites",
    "builtin_probe_suites",
    "english_to_french",
    "generate_corpus",
    "parse_english",
    "translate_frame",
    "write_corpus",
]
