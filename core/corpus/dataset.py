"""From a `--data` spec (core.corpus.spec) to train/dev/test pairs."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

from core.corpus.filtering import filter_by_length
from core.corpus.readers import Pair, read_parallel
from core.corpus.spec import DataSpec
from core.corpus.split import split_pairs
from core.errors import UserError

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


def load_data(spec: str | DataSpec, max_words: int = 200) -> ParallelData:
    """Read (or generate) a corpus and split it; raise UserError naming what is wrong."""
    spec = spec if isinstance(spec, DataSpec) else DataSpec.parse(spec)
    if spec.is_grammar:
        from core.corpus.grammar import generate_corpus

        corpus = generate_corpus(n_pairs=spec.grammar_pairs, seed=0)
        return ParallelData(spec.text, corpus.train, corpus.dev, corpus.test, is_grammar=True)
    if spec.is_pair:
        return _split(spec.text, read_parallel(*spec.paths), max_words)
    path = Path(spec.paths[0])
    if path.is_dir():
        return _folder(spec.text, path, max_words)
    return _split(spec.text, read_parallel(path), max_words)


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
