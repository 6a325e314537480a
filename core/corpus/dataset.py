"""From a `--data` spec to train/dev/test pairs.

A spec is one of:
  grammar | grammar:N     the built-in English -> French grammar corpus (N pairs, default 50,000)
  DIR                     a folder with train.tsv, and optionally dev.tsv and test.tsv
  FILE                    one TSV (src<TAB>tgt), gzipped or not: split deterministically
  SRC_FILE,TGT_FILE       a Moses-style pair of line-aligned files: split deterministically
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

from core.corpus.filtering import filter_by_length
from core.corpus.readers import Pair, read_parallel
from core.corpus.split import split_pairs
from core.errors import UserError

GRAMMAR_PAIRS = 50_000  # DESIGN.md: the built-in corpus defaults to about 50k pairs
MAX_DEV = 1000  # held-out pairs are capped: evaluating thousands every few hundred steps costs too much
MAX_TEST = 2000
SPLIT_SEED = 0  # fixed, not the training seed: runs that differ only in seed share their splits


@dataclass(frozen=True)
class ParallelData:
    spec: str
    train: list[Pair]
    dev: list[Pair]
    test: list[Pair]
    is_grammar: bool = False

    def fingerprint(self) -> str:
        """A short hash of the train and dev pairs: resume checks the data did not change."""
        h = hashlib.sha256()
        for src, tgt in itertools.chain(self.train, [("", "")], self.dev):
            h.update(src.encode())
            h.update(b"\t")
            h.update(tgt.encode())
            h.update(b"\n")
        return h.hexdigest()[:16]


def load_data(spec: str, max_words: int = 200) -> ParallelData:
    """Read (or generate) a corpus and split it; raise UserError naming what is wrong."""
    spec = spec.strip()
    if spec == "grammar" or spec.startswith("grammar:"):
        return _grammar(spec)
    if "," in spec:
        src, tgt = (p.strip() for p in spec.split(",", 1))
        return _split(spec, read_parallel(src, tgt), max_words)
    path = Path(spec)
    if path.is_dir():
        return _folder(spec, path, max_words)
    return _split(spec, read_parallel(path), max_words)


def _grammar(spec: str) -> ParallelData:
    from core.corpus.grammar import generate_corpus

    n = GRAMMAR_PAIRS
    if ":" in spec:
        try:
            n = int(spec.split(":", 1)[1])
        except ValueError:
            raise UserError(
                f"--data {spec}: write grammar:N with N a number of pairs, e.g. grammar:20000"
            ) from None
        if n < 100:
            raise UserError(f"--data {spec}: the grammar corpus needs at least 100 pairs")
    corpus = generate_corpus(n_pairs=n, seed=0)
    return ParallelData(spec, corpus.train, corpus.dev, corpus.test, is_grammar=True)


def _split(spec: str, pairs: list[Pair], max_words: int) -> ParallelData:
    pairs, _ = filter_by_length(pairs, max_words=max_words)
    n = len(pairs)
    dev = max(1, min(MAX_DEV, round(0.05 * n)))
    test = max(1, min(MAX_TEST, round(0.05 * n)))
    split = split_pairs(pairs, dev_size=dev, test_size=test, seed=SPLIT_SEED)
    return ParallelData(spec, split.train, split.dev, split.test)


def _folder(spec: str, folder: Path, max_words: int) -> ParallelData:
    train_file = folder / "train.tsv"
    if not train_file.is_file():
        raise UserError(
            f"folder {folder} has no train.tsv: give a folder with train.tsv (and dev.tsv) or a file"
        )
    if not (folder / "dev.tsv").is_file():
        return _split(spec, read_parallel(train_file), max_words)
    train, _ = filter_by_length(read_parallel(train_file), max_words=max_words)
    dev = read_parallel(folder / "dev.tsv")
    test = read_parallel(folder / "test.tsv") if (folder / "test.tsv").is_file() else []
    return ParallelData(spec, train, dev, test, is_grammar=(folder / "probes").is_dir())
