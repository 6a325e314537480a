"""The bootstrap behind every probe interval: what one draw resamples, and the interval it gives.

A probe suite's families are not always independent draws. The built-in suites are crossed from
a few names and about a dozen verbs, so two families that share a verb or a name share whatever
the encoder does with that word. Resampling families one by one then treats 200 families as 200
independent observations, and the interval is too narrow. `Resampling` says what is independent:

- families one by one (`Resampling.families(n)`), for a suite without a design;
- clusters (`Resampling.clusters({"verb": values})`): every family that shares the value of the
  tag is drawn together (a one-way cluster bootstrap);
- crossed clusters (`Resampling.clusters({"verb": ..., "people": ...})`): each factor's values
  are drawn independently and a family counts as often as the product of its values' draws
  (Owen 2007's pigeonhole bootstrap for crossed random effects). A tag value "John|Mary" puts
  the family in two clusters of one factor (both participants; Snijders & Borgatti 1999's
  vertex bootstrap for dyads), and its weight takes the product over both.

Every resample's statistic is the weighted mean of the per-family values, so the point estimate
is the plain mean whatever the unit. The interval is the 95% percentile interval of those means,
drawn with a fixed seed. It measures how much the score depends on which sentences (or which
verbs and names) were drawn, not how much it depends on the training run (INTERVAL_NOTE).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from core.corpus.probe_suite import MULTI
from core.errors import UserError
from core.options import Range

N_BOOT = 2000  # resamples: the one default of the CLI, the app and the benchmarks
MAX_BOOT = 100_000  # 50 x the default: the interval stops moving long before; more only costs time
BOOT = Range(low=1, high=MAX_BOOT, text=f"between 1 and {MAX_BOOT:,}")  # resamples a caller may ask for
_BOOT_CHUNK = 256  # bootstrap resamples drawn at once: memory stays small for big suites
FAMILY = "family"  # the resampling unit of a suite without a design: families one by one
FEW_CLUSTERS = 10  # below this many clusters in a factor, the percentile interval is rough
INTERVAL_SCOPE = "95% bootstrap interval over the suite's families or clusters, not over trainings"
INTERVAL_NOTE = (
    f"{INTERVAL_SCOPE}: another training seed can move the margin by more than this; compare runs "
    "with their paired difference, or several seeds"
)


@dataclass(frozen=True)
class ResamplingSummary:
    """What a result says of its interval's resampling (Resampling.summary): kept where the
    families' tags are not, as in a study's report."""

    unit: str  # "family", or the tags resampled: "verb x people"
    families: int
    clusters: Mapping[str, int]  # factor -> its values ({} for families one by one)
    described: str  # Resampling.describe()

    def to_dict(self) -> dict:
        return asdict(self)  # unit, families, clusters, described

    @classmethod
    def from_dict(cls, d: dict) -> ResamplingSummary:
        return cls(d["unit"], d["families"], dict(d["clusters"]), d["described"])


@dataclass(frozen=True)
class Resampling:
    """What one bootstrap draw resamples, for n families.

    factors: the tags resampled ((): families one by one); levels[f][i]: the indices of the
    values family i has in factor f (one, or several with MULTI); sizes[f]: how many values
    factor f has.
    """

    n: int
    factors: tuple[str, ...] = ()
    levels: tuple[tuple[tuple[int, ...], ...], ...] = ()
    sizes: tuple[int, ...] = ()

    @classmethod
    def families(cls, n: int) -> Resampling:
        return cls(n)

    @classmethod
    def clusters(cls, tags: Mapping[str, Sequence[str]], suite: str = "the suite") -> Resampling:
        """Resampling by the values of one tag, or several crossed; a UserError when a tag cannot
        cluster (fewer than 2 values, or a value per family: that is the family bootstrap)."""
        if not tags:
            raise UserError("name at least one tag to cluster by")
        lengths = {len(values) for values in tags.values()}
        if len(lengths) != 1:
            raise UserError(f"every tag needs one value per family, not {sorted(lengths)}")
        levels, sizes = [], []
        for name, values in tags.items():
            split = [tuple(dict.fromkeys(str(v).split(MULTI))) for v in values]  # in order of appearance
            index = {value: i for i, value in enumerate(dict.fromkeys(v for parts in split for v in parts))}
            members = np.bincount([index[v] for parts in split for v in parts], minlength=len(index))
            if len(index) < 2:
                raise UserError(
                    f"tag {name!r} has one value in {suite}: a cluster bootstrap needs at least 2 clusters"
                )
            if members.max() == 1:
                raise UserError(
                    f"every cluster of tag {name!r} in {suite} holds one family: clustering by it is the "
                    f"family bootstrap (give --cluster {FAMILY}, or a tag that groups families)"
                )
            levels.append(tuple(tuple(index[v] for v in parts) for parts in split))
            sizes.append(len(index))
        return cls(lengths.pop(), tuple(tags), tuple(levels), tuple(sizes))

    @property
    def unit(self) -> str:
        """ "family", or the tags resampled: "verb", "verb x people"."""
        return " x ".join(self.factors) if self.factors else FAMILY

    @property
    def n_units(self) -> int:
        """How many independent units a draw resamples: families, or the smallest factor's values."""
        return min(self.sizes) if self.factors else self.n

    def describe(self) -> str:
        """ "200 families, resampled one by one" / "200 families in clusters: verb (11) x people
        (8), crossed" (what every probe output says of its interval)."""
        if not self.factors:
            return f"{self.n} families, resampled one by one"
        parts = " x ".join(f"{f} ({k})" for f, k in zip(self.factors, self.sizes))
        crossed = ", crossed (pigeonhole bootstrap)" if len(self.factors) > 1 else ""
        return f"{self.n} families in clusters: {parts}{crossed}"

    def note(self) -> str | None:
        """A caution when a factor has few clusters (the percentile interval is then rough)."""
        few = [f"{f} ({k})" for f, k in zip(self.factors, self.sizes) if k < FEW_CLUSTERS]
        if not few:
            return None
        return f"few clusters ({', '.join(few)}): the interval is rough; a larger design would tighten it"

    def summary(self) -> ResamplingSummary:
        return ResamplingSummary(self.unit, self.n, dict(zip(self.factors, self.sizes)), self.describe())

    def to_dict(self) -> dict:
        return self.summary().to_dict()

    def subset(self, index: Sequence[int]) -> Resampling:
        """The same design restricted to the families at `index` (a split by tag). A factor with
        one value left among them is constant there and drops out; with none left, families are
        resampled one by one."""
        index = list(index)
        factors, kept, sizes = [], [], []
        for factor, levels in zip(self.factors, self.levels):
            used = list(dict.fromkeys(v for i in index for v in levels[i]))
            if len(used) < 2:
                continue
            renumber = {v: j for j, v in enumerate(used)}
            factors.append(factor)
            kept.append(tuple(tuple(renumber[v] for v in levels[i]) for i in index))
            sizes.append(len(used))
        return Resampling(len(index), tuple(factors), tuple(kept), tuple(sizes))

    def weights(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """(size, n): how often each family counts in each of `size` resamples."""
        if not self.factors:
            draws = rng.integers(0, self.n, size=(size, self.n))
            return _counts(draws, self.n)
        weights = np.ones((size, self.n))
        for levels, k in zip(self.levels, self.sizes):
            counts = np.hstack([_counts(rng.integers(0, k, size=(size, k)), k), np.ones((size, 1))])
            width = max(len(parts) for parts in levels)
            index = np.array(
                [[*parts, *[k] * (width - len(parts))] for parts in levels]
            )  # k: the column of ones
            for column in index.T:
                weights *= counts[:, column]
        return weights

    def means(self, values: np.ndarray, n_boot: int = N_BOOT, seed: int = 0) -> np.ndarray:
        """(n,) per-family values -> (m,) resampled means, m <= n_boot: a crossed draw that keeps no
        family (it can happen with sparse crossings) has no mean and is left out."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (self.n,):
            raise UserError(f"the resampling is for {self.n} families, not values of shape {values.shape}")
        if not BOOT.contains(n_boot):
            raise UserError(f"the number of bootstrap resamples must be {BOOT.describe()}, not {n_boot}")
        rng = np.random.default_rng(seed)
        out = []
        for start in range(0, n_boot, _BOOT_CHUNK):
            w = self.weights(rng, min(_BOOT_CHUNK, n_boot - start))
            total = w.sum(1)
            kept = total > 0
            out.append((w[kept] @ values) / total[kept])
        return np.concatenate(out)

    def interval(self, values: np.ndarray, n_boot: int = N_BOOT, seed: int = 0) -> tuple[float, float]:
        """95% percentile interval of the mean of `values` (n,)."""
        low, high = np.percentile(self.means(values, n_boot, seed), [2.5, 97.5])
        return float(low), float(high)


def _counts(draws: np.ndarray, k: int) -> np.ndarray:
    """(size, m) draws of values 0..k-1 -> (size, k) how often each value was drawn."""
    counts = np.zeros((len(draws), k))
    np.add.at(counts, (np.arange(len(draws))[:, None], draws), 1.0)
    return counts


@dataclass(frozen=True)
class Interval:
    """A mean over families with its bootstrap interval, and the share of families above 0."""

    margin: float
    margin_low: float
    margin_high: float
    win_rate: float

    def excludes_zero(self) -> bool:
        return self.margin_low > 0 or self.margin_high < 0

    def to_dict(self) -> dict:
        return asdict(self)


def bootstrap_interval(
    values: np.ndarray, n_boot: int = N_BOOT, seed: int = 0, resampling: Resampling | None = None
) -> tuple[float, float]:
    """95% percentile-bootstrap interval of the mean of `values` (n,), by `resampling` (default:
    families one by one), drawn with `seed`."""
    values = np.asarray(values, dtype=np.float64)
    return (resampling or Resampling.families(len(values))).interval(values, n_boot, seed)


def difference_statistics(
    diff: np.ndarray, n_boot: int = N_BOOT, seed: int = 0, resampling: Resampling | None = None
) -> Interval:
    """(n,) per-family differences (n >= 1) -> their mean, its interval and the win rate."""
    diff = np.asarray(diff, dtype=np.float64)
    low, high = bootstrap_interval(diff, n_boot, seed, resampling)
    return Interval(float(diff.mean()), low, high, float((diff > 0).mean()))
