"""The built-in corpus: sample frames, keep distinct English sentences, split, write files.

No sentence of any probe suite is ever in the corpus (train, dev or test), so probing a trained
model measures what it does with sentences it has not seen.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from core.atomic import write_text
from core.corpus.grammar.english import english_sentence
from core.corpus.grammar.minimal_pairs import DEFAULT_FAMILIES, build_probe_suites, builtin_probe_suites
from core.corpus.grammar.sampling import sample_frame
from core.corpus.grammar.sentences import french_sentence
from core.corpus.probe_suite import ProbeTable
from core.corpus.spec import MAX_GRAMMAR_PAIRS
from core.errors import UserError

Pair = tuple[str, str]

DEV_SHARE = TEST_SHARE = 0.05  # about 90/5/5
PAIRS_PER_FAMILY = 20  # tiny corpora (tests, demos) get proportionally smaller probe suites
MAX_DRAWS_PER_PAIR = 20  # the grammar has millions of sentences; this only stops absurd requests


@dataclass(frozen=True)
class GrammarCorpus:
    train: list[Pair]  # (english, french)
    dev: list[Pair]
    test: list[Pair]
    probes: dict[str, ProbeTable]


def probe_families(n_pairs: int) -> int:
    """Families per generated probe suite: DEFAULT_FAMILIES, fewer for tiny corpora, at least 2."""
    return max(2, min(DEFAULT_FAMILIES, n_pairs // PAIRS_PER_FAMILY))


def generate_corpus(n_pairs: int = 50_000, seed: int = 0) -> GrammarCorpus:
    """`n_pairs` distinct English -> French pairs split about 90/5/5, and the probe suites.

    The same seed gives the same corpus; the probe suites depend only on `n_pairs`.
    """
    if n_pairs < 3:
        raise UserError(f"the grammar corpus needs at least 3 pairs (train, dev, test), not {n_pairs}")
    if n_pairs > MAX_GRAMMAR_PAIRS:  # checked here too: a spec such as grammar:10**12 would draw for ever
        raise UserError(
            f"the grammar corpus has at most {MAX_GRAMMAR_PAIRS:,} pairs, not {n_pairs:,}: ask for fewer"
        )
    probes = build_probe_suites(probe_families(n_pairs))
    # Every run is scored on the full built-in suites (DEFAULT_FAMILIES families; the smaller ones
    # written with a tiny corpus are their prefixes), so none of their sentences may be drawn.
    excluded = {sentence for suite in builtin_probe_suites().values() for sentence in suite.sentences()}
    rng = random.Random(seed)
    pairs: dict[str, str] = {}  # english -> french, in the order drawn
    for _ in range(n_pairs * MAX_DRAWS_PER_PAIR):
        if len(pairs) == n_pairs:
            break
        frame = sample_frame(rng)
        english = english_sentence(frame)
        if english not in pairs and english not in excluded:
            pairs[english] = french_sentence(frame)
    if len(pairs) < n_pairs:
        raise UserError(f"the grammar could only produce {len(pairs)} distinct pairs: ask for fewer")
    drawn = list(pairs.items())  # already in random order
    n_dev = max(1, round(n_pairs * DEV_SHARE))
    n_test = max(1, round(n_pairs * TEST_SHARE))
    return GrammarCorpus(
        train=drawn[n_dev + n_test :],
        dev=drawn[:n_dev],
        test=drawn[n_dev : n_dev + n_test],
        probes=probes,
    )


def write_corpus(out_dir: str | Path, n_pairs: int = 50_000, seed: int = 0) -> GrammarCorpus:
    """Write out_dir/{train,dev,test}.tsv (english<TAB>french, no header) and out_dir/probes/<name>.tsv."""
    out_dir = Path(out_dir)
    corpus = generate_corpus(n_pairs, seed)
    for split in ("train", "dev", "test"):
        rows = getattr(corpus, split)
        write_text(out_dir / f"{split}.tsv", "".join(f"{en}\t{fr}\n" for en, fr in rows))
    for name, suite in corpus.probes.items():
        write_text(out_dir / "probes" / f"{name}.tsv", suite.to_tsv())
    return corpus
