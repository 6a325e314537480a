"""Train/dev/test splits without source-side leakage.

Tatoeba is many-to-many: one English sentence often has several French translations on separate
lines. A random split of lines would put "I'm hungry." in train with one translation and in test
with another, so test BLEU would measure memorisation. Here dev and test each get distinct
source sentences, and train loses every pair whose source (case-folded) is in dev or test.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from core.errors import UserError

Pair = tuple[str, str]


@dataclass(frozen=True)
class Split:
    train: list[Pair]  # in corpus order (the trainer shuffles and buckets)
    dev: list[Pair]
    test: list[Pair]
    n_dropped: int = 0  # pairs left out of all three: other translations of a dev/test source


def split_pairs(
    pairs: list[Pair], dev_size: int | float = 0.05, test_size: int | float = 0.05, seed: int = 0
) -> Split:
    """Split `pairs` into train/dev/test, deterministically for a given `seed`.

    An int size is a number of pairs, a float a fraction of `pairs` (at least one pair).
    """
    n = len(pairs)
    if n < 3:
        raise UserError(f"the corpus has {n} sentence pair(s): a train/dev/test split needs at least 3")
    n_dev, n_test = _count(dev_size, n, "dev_size"), _count(test_size, n, "test_size")

    groups: dict[str, list[int]] = {}  # source key -> indices of its pairs, in corpus order
    for index, (source, _) in enumerate(pairs):
        groups.setdefault(_source_key(source), []).append(index)
    if n_dev + n_test >= len(groups):
        raise UserError(
            f"dev ({n_dev}) + test ({n_test}) need {n_dev + n_test} distinct source sentences plus at "
            f"least one left for training, but the corpus has {len(groups)}: use smaller dev/test sizes"
        )

    rng = random.Random(seed)
    keys = list(groups)  # insertion order: deterministic
    held_out = rng.sample(keys, n_dev + n_test)
    chosen = [pairs[rng.choice(groups[key])] for key in held_out]  # one translation per source
    held_keys = set(held_out)
    train = [pair for pair in pairs if _source_key(pair[0]) not in held_keys]
    return Split(train=train, dev=chosen[:n_dev], test=chosen[n_dev:], n_dropped=n - len(train) - len(chosen))


def _source_key(source: str) -> str:
    return " ".join(source.split()).casefold()


def _count(size: int | float, n: int, name: str) -> int:
    if isinstance(size, bool) or not isinstance(size, (int, float)):
        raise UserError(f"{name} must be a number of pairs (int) or a fraction (float), not {size!r}")
    if isinstance(size, int):
        if size < 1:
            raise UserError(f"{name}={size}: give at least 1 pair")
        return size
    if not 0.0 < size < 1.0:
        raise UserError(f"{name}={size}: a fraction must be between 0 and 1 (or give a count as an int)")
    return max(1, round(size * n))
