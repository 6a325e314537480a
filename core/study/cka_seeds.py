"""CKA between arms, read against the right baseline: two seeds of the same arm.

Runs of one seed share their initial weights and data order, so CKA between two arms of the same
seed is biased towards "alike". Here every comparison is across seeds:

- between(a, b): the mean CKA of arm a seed i with arm b seed j, over i != j;
- within(a, b): the mean CKA of two seeds of the same arm (a with a, b with b), over i != j;
- difference = between - within: below 0 when the arms differ more than two seeds of one arm.

Beside the plain (biased) linear CKA, the debiased one (unbiased HSIC) and a floor: the plain CKA
of the between pairs with one side's sentences shuffled, i.e. what "unrelated" reads as at this
number of sentences and width. Intervals resample the sentences: a delete-a-group jackknife
(the sentences in GROUPS random groups, each left out in turn and every kernel recomputed; a
bootstrap with replacement would repeat sentences, which inflates CKA), never a t-interval over
pairs that share members. They cover which sentences were drawn, not which seeds. The p-value is a
permutation test over the arm labels within each seed (exchangeable if the arm changes nothing):
all 2^S relabellings for S common seeds, one-sided for "the arms differ more than seeds do". With
S seeds it can be no smaller than 2 / 2^S, which is itself a statement about how many seeds a
CKA claim needs.

Vectors: per run, per state, one (n, H) array per layer, the same n sentences for every run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations, product

import numpy as np

from core.analysis.cka import STATES, cka_matrix, cross_layer_cka, debiased_cka_matrix, double_centre, gram
from core.analysis.cka import layers_match as kornblith_match
from core.study.multiplicity import EXPLORATORY, Test

GROUPS = 20  # jackknife groups of sentences for the CKA intervals (each left out in turn)
MAX_ASSIGNMENTS = 4096  # label assignments enumerated exactly up to 12 seeds; sampled beyond
SEED = 0  # the resampling, permutation and floor seed: a report is reproducible
LayerVectors = Mapping[str, Sequence[np.ndarray]]  # state -> one (n, H) array per layer
Key = tuple[str, int]  # (arm, seed)


@dataclass(frozen=True)
class Spread:
    """A CKA mean over pairs: plain, its 95% sentence-jackknife interval, and debiased."""

    plain: float
    low: float
    high: float
    debiased: float

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Spread:
        return cls(**d)


@dataclass(frozen=True)
class ArmPairCka:
    a: str
    b: str
    state: str
    layer: int
    between: Spread
    within: Spread
    difference: Spread  # between - within
    floor: float  # plain CKA of the between pairs with the sentences of one side shuffled
    p: float | None  # one-sided permutation p of difference < 0 (None: fewer than 2 common seeds)
    assignments: int  # label assignments the p-value is over
    pairs: int  # between pairs (i != j)

    @property
    def key(self) -> str:
        return f"cka.{self.state}.{self.layer}:{self.a}|{self.b}"

    def test(self) -> Test:
        what = (
            f"CKA {self.state} layer {self.layer}, {self.a} vs {self.b} against two seeds (between - within)"
        )
        return Test(self.key, EXPLORATORY, self.difference.plain, self.p, what=what)

    def to_dict(self) -> dict:
        spreads = {name: getattr(self, name).to_dict() for name in ("between", "within", "difference")}
        return {
            "a": self.a,
            "b": self.b,
            "state": self.state,
            "layer": self.layer,
            **spreads,
            "floor": self.floor,
            "p": self.p,
            "assignments": self.assignments,
            "pairs": self.pairs,
        }

    @classmethod
    def from_dict(cls, d: dict) -> ArmPairCka:
        spreads = (Spread.from_dict(d[name]) for name in ("between", "within", "difference"))
        head, tail = (d["a"], d["b"], d["state"], d["layer"]), (d["p"], d["assignments"], d["pairs"])
        return cls(*head, *spreads, d["floor"], *tail)


Pairs = tuple[np.ndarray, np.ndarray]  # (between, within): index arrays into an (R, R) matrix


def _pairs(
    labels: Sequence[Key], a: str, b: str, swapped: frozenset[int] = frozenset()
) -> tuple[Pairs, Pairs]:
    """The cross-seed pairs of runs `labels`: between arms a and b, and within one of them. a and b
    trade labels within the `swapped` seeds (the permutation test)."""

    def arm(i: int) -> str:
        name, seed = labels[i]
        if seed in swapped and name in (a, b):
            return b if name == a else a
        return name

    between, within = [], []
    for i, j in combinations(range(len(labels)), 2):
        if labels[i][1] == labels[j][1]:
            continue  # the same seed: shared initial weights and data order
        kind = {arm(i), arm(j)}
        if kind == {a, b}:
            between.append((i, j))
        elif len(kind) == 1 and kind <= {a, b}:
            within.append((i, j))
    return tuple(np.array(p, dtype=int).reshape(-1, 2).T for p in (between, within))


def _means(C: np.ndarray, pairs: tuple[Pairs, Pairs]) -> tuple[float, float]:
    """(R, R) CKA -> its means over the between and the within pairs (NaN where there are none)."""
    return tuple(float(C[rows, cols].mean()) if len(rows) else float("nan") for rows, cols in pairs)


def _assignments(seeds: Sequence[int], rng: np.random.Generator) -> list[frozenset[int]]:
    """Every within-seed relabelling, as the seeds it swaps (the identity, none, first), or
    MAX_ASSIGNMENTS drawn at random."""

    def swapped(flags) -> frozenset[int]:
        return frozenset(seed for seed, flip in zip(seeds, flags) if flip)

    if 2 ** len(seeds) <= MAX_ASSIGNMENTS:
        return [swapped(flags) for flags in product((False, True), repeat=len(seeds))]
    drawn = rng.integers(0, 2, size=(MAX_ASSIGNMENTS - 1, len(seeds))).astype(bool)
    return [frozenset()] + [swapped(row) for row in drawn]


def _spread(leave_out: np.ndarray, plain: float, debiased: float) -> Spread:
    """The jackknife interval: plain +- t(G-1) x the standard error from the G leave-out values."""
    from core.study.stats import t_quantile

    g = len(leave_out)
    if g < 2 or not np.isfinite(leave_out).all():
        return Spread(plain, float("nan"), float("nan"), debiased)
    error = float(np.sqrt((g - 1) / g * ((leave_out - leave_out.mean()) ** 2).sum()))
    half = t_quantile(g - 1) * error
    return Spread(plain, plain - half, plain + half, debiased)


@dataclass(frozen=True)
class _Matrices:
    """One state and layer: the plain and debiased CKA of every pair of runs, the floor (each run
    against every other with its sentences shuffled), and the plain CKA without each group of sentences."""

    plain: np.ndarray
    debiased: np.ndarray
    floor: np.ndarray
    leave_out: tuple[np.ndarray, ...]


def _matrices(grams: Sequence[np.ndarray], rng: np.random.Generator, groups: int) -> _Matrices:
    n, R = len(grams[0]), len(grams)
    shuffled = rng.permutation(n)
    floor = cka_matrix([*grams, *(K[np.ix_(shuffled, shuffled)] for K in grams)])[:R, R:]
    group = rng.permutation(n) % min(groups, n)
    leave_out = []
    for g in range(min(groups, n)):
        kept = np.flatnonzero(group != g)
        leave_out.append(cka_matrix([double_centre(K[np.ix_(kept, kept)]) for K in grams]))
    return _Matrices(cka_matrix(grams), debiased_cka_matrix(grams), floor, tuple(leave_out))


def _compare(
    m: _Matrices,
    labels: Sequence[Key],
    pair: tuple[str, str],
    state: str,
    layer: int,
    rng: np.random.Generator,
) -> ArmPairCka:
    """One pair of arms on one state and layer."""
    a, b = pair
    pairs = _pairs(labels, a, b)
    between, within = _means(m.plain, pairs)
    d_between, d_within = _means(m.debiased, pairs)
    jack = np.array([_means(C, pairs) for C in m.leave_out])
    seeds = sorted({s for arm, s in labels if arm == a} & {s for arm, s in labels if arm == b})
    p, count = None, 0
    if len(seeds) >= 2:
        stats = [
            np.subtract(*_means(m.plain, _pairs(labels, a, b, swap))) for swap in _assignments(seeds, rng)
        ]
        p, count = float(np.mean(np.array(stats) <= stats[0] + 1e-12)), len(stats)
    return ArmPairCka(
        a,
        b,
        state,
        layer,
        between=_spread(jack[:, 0], between, d_between),
        within=_spread(jack[:, 1], within, d_within),
        difference=_spread(jack[:, 0] - jack[:, 1], between - within, d_between - d_within),
        floor=_means(m.floor, pairs)[0],
        p=p,
        assignments=count,
        pairs=len(pairs[0][0]),
    )


def compare_arms(
    vectors: Mapping[Key, LayerVectors], arms: Sequence[str], groups: int = GROUPS
) -> list[ArmPairCka]:
    """Every pair of arms, state and layer: between, within, their difference, floor and p."""
    labels = sorted(vectors, key=lambda k: (list(arms).index(k[0]), k[1]))
    if len({seed for _, seed in labels}) < 2:
        return []  # one seed: no cross-seed pair
    layers = min(len(vectors[k][STATES[0]]) for k in labels)
    rng = np.random.default_rng(SEED)
    out = []
    for state in STATES:
        for layer in range(layers):
            matrices = _matrices([gram(vectors[k][state][layer]) for k in labels], rng, groups)
            for a, b in combinations(arms, 2):
                out.append(_compare(matrices, labels, (a, b), state, layer, rng))
    return out


@dataclass(frozen=True)
class LayerMatch:
    """Kornblith et al.'s sanity check on two seeds of one arm: each layer most like its own."""

    arm: str
    state: str
    seeds: tuple[int, int]
    matrix: tuple[tuple[float, ...], ...]

    @property
    def match(self) -> bool:
        return kornblith_match(np.array(self.matrix))

    def to_dict(self) -> dict:
        matrix = [list(row) for row in self.matrix]
        return {
            "arm": self.arm,
            "state": self.state,
            "seeds": list(self.seeds),
            "matrix": matrix,
            "match": self.match,
        }

    @classmethod
    def from_dict(cls, d: dict) -> LayerMatch:
        matrix = tuple(tuple(row) for row in d["matrix"])
        return cls(d["arm"], d["state"], tuple(d["seeds"]), matrix)


def layer_matches(vectors: Mapping[Key, LayerVectors], arms: Sequence[str]) -> list[LayerMatch]:
    """The check on every pair of seeds of every arm."""
    out = []
    for arm in arms:
        seeds = sorted(s for a, s in vectors if a == arm)
        for state in STATES:
            for s, t in combinations(seeds, 2):
                matrix = cross_layer_cka(vectors[arm, s][state], vectors[arm, t][state])
                out.append(
                    LayerMatch(arm, state, (s, t), tuple(tuple(float(v) for v in row) for row in matrix))
                )
    return out


@dataclass(frozen=True)
class CkaSection:
    """The report's CKA: every pair of arms against two seeds of one arm, and the layer-match check."""

    sentences: int  # test sentences the vectors are of
    arms: tuple[ArmPairCka, ...]  # empty with one seed
    layer_match: tuple[LayerMatch, ...]

    def to_dict(self) -> dict:
        pairs, matches = [c.to_dict() for c in self.arms], [m.to_dict() for m in self.layer_match]
        return {"sentences": self.sentences, "arms": pairs, "layer_match": matches}

    @classmethod
    def from_dict(cls, d: dict) -> CkaSection:
        pairs = tuple(ArmPairCka.from_dict(c) for c in d["arms"])
        return cls(d["sentences"], pairs, tuple(LayerMatch.from_dict(m) for m in d["layer_match"]))
