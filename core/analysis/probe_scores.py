"""Scoring a run on a probe suite: is the positive closer to the anchor than the negative?

For each family: cos(anchor, positive) and cos(anchor, negative) of the thought vectors; the
margin is their mean difference, with a seeded 95% percentile-bootstrap interval, and the win
rate is the share of families where the positive is closer. An interval above 0 says the encoder
keeps what the pair shares (e.g. meaning across active/passive, Sutskever et al. 2014, Figure 2)
more than what the negative changes (who does what to whom).

The interval resamples the suite's independent units (ProbeSettings.resampling: the suite's
design, e.g. clusters of verbs and names, or families one by one), not trainings
(INTERVAL_NOTE): another seed can move a margin by more than it. Every result names its unit.
Beside surface baselines and over seeds: core.analysis.probe_report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from core.analysis.bootstrap import INTERVAL_NOTE, N_BOOT, Interval, Resampling, difference_statistics
from core.analysis.geometry import LinearProbe, linear_probe, normalise_rows, retrieval_accuracy, silhouette
from core.analysis.probe_settings import DEFAULTS, ProbeSettings
from core.corpus.probe_suite import ProbeTable
from core.errors import UserError
from core.run.loaded import LoadedRun
from core.vector_choice import DEFAULT_LAYERS, DEFAULT_STATE
from core.vectors import encode

FEW_FAMILIES = 10  # below this a percentile bootstrap interval is too narrow to trust


def few_families_note(n: int) -> str | None:
    """A caution for small suites (e.g. Figure 2's 2 or 6 families), else None."""
    if n >= FEW_FAMILIES:
        return None
    return (
        f"only {n} families: the bootstrap interval understates the uncertainty; "
        "use a larger suite (e.g. builtin:voice, 200 families) for a claim"
    )


@dataclass(frozen=True)
class FamilyScore:
    """One family's sentences in their roles and its two cosines."""

    family: str
    anchor: str
    positive: str
    negative: str
    cos_positive: float
    cos_negative: float

    @property
    def margin(self) -> float:
        return self.cos_positive - self.cos_negative

    def to_dict(self) -> dict:
        return {**asdict(self), "margin": self.margin}


@dataclass(frozen=True)
class ProbeResult:
    suite: str
    anchor: str
    positive: str
    negative: str
    state: str
    layers: str
    n: int
    cos_positive: float
    cos_negative: float
    margin: float
    margin_low: float  # 95% bootstrap interval of the margin, by `resampling`
    margin_high: float
    win_rate: float
    per_family: tuple[FamilyScore, ...] = ()
    resampling: Resampling | None = None  # what the interval resampled (None: families one by one)

    @property
    def note(self) -> str | None:
        return few_families_note(self.n) or (self.resampling.note() if self.resampling else None)

    @property
    def design(self) -> Resampling:
        return self.resampling or Resampling.families(self.n)

    def margins(self) -> np.ndarray:
        """(n,) the per-family margins, cos_positive - cos_negative."""
        return np.array([row.margin for row in self.per_family], dtype=np.float64)

    def to_dict(self) -> dict:
        d = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "resampling"}
        d["per_family"] = [row.to_dict() for row in self.per_family]
        d["resampling"] = self.design.to_dict()
        d["interval"] = INTERVAL_NOTE
        if self.note:
            d["note"] = self.note
        return d


def row_cosines(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """(n, d), (n, d) -> (n,) cosine of each row of A with the same row of B."""
    return (normalise_rows(A) * normalise_rows(B)).sum(1)


def margin_statistics(
    cos_positive: np.ndarray,
    cos_negative: np.ndarray,
    n_boot: int = N_BOOT,
    seed: int = 0,
    resampling: Resampling | None = None,
) -> Interval:
    """(n,), (n,) per-family cosines -> the margin, its interval (by `resampling`) and win rate."""
    pos, neg = np.asarray(cos_positive, dtype=np.float64), np.asarray(cos_negative, dtype=np.float64)
    if pos.shape != neg.shape or pos.ndim != 1:
        raise UserError(
            f"positive and negative cosines must be two lists of equal length, not {pos.shape}, {neg.shape}"
        )
    if len(pos) < 2:
        raise UserError(f"a margin with an interval needs at least 2 families, not {len(pos)}")
    return difference_statistics(pos - neg, n_boot, seed, resampling)


def suite_vectors(
    run: LoadedRun,
    table: ProbeTable,
    columns: Sequence[str],
    state: str = DEFAULT_STATE,
    layers: str | int = DEFAULT_LAYERS,
) -> list[np.ndarray]:
    """One (n_families, d) array per column; unknown words are a UserError naming them."""
    texts = [table.column(name) for name in columns]
    sentences = [s for column in texts for s in column]
    vectors = encode(run, sentences, state=state, layers=layers, strict=True)
    n = len(table.rows)
    return [vectors[i * n : (i + 1) * n] for i in range(len(columns))]


def score_suite(run: LoadedRun, table: ProbeTable, settings: ProbeSettings = DEFAULTS) -> ProbeResult:
    """Cosine margins of one run on one suite (the roles and the resampling default to the suite's)."""
    roles = settings.roles(table)
    return score_vectors(
        table, roles, suite_vectors(run, table, roles, settings.state, settings.layers), settings
    )


def score_vectors(
    table: ProbeTable,
    roles: tuple[str, str, str],
    vectors: Sequence[np.ndarray],
    settings: ProbeSettings = DEFAULTS,
) -> ProbeResult:
    """The margins of any vectors of the three role columns, (n, d) each: a run's thought
    vectors, or a baseline's (core.analysis.baselines). `settings` give the bootstrap (its
    resampling unit, resamples and seed) and the state and layers the result is labelled with."""
    A, P, N = vectors
    pos, neg = row_cosines(A, P), row_cosines(A, N)
    resampling = settings.resampling(table)
    stats = margin_statistics(pos, neg, settings.n_boot, settings.seed, resampling)
    texts = [table.column(name) for name in roles]
    per_family = tuple(
        FamilyScore(family, a, p, q, float(cp), float(cn))
        for family, a, p, q, cp, cn in zip(table.families, *texts, pos, neg)
    )
    return ProbeResult(
        suite=table.name,
        anchor=roles[0],
        positive=roles[1],
        negative=roles[2],
        state=settings.state,
        layers=settings.layers,
        n=len(pos),
        cos_positive=float(pos.mean()),
        cos_negative=float(neg.mean()),
        margin=stats.margin,
        margin_low=stats.margin_low,
        margin_high=stats.margin_high,
        win_rate=stats.win_rate,
        per_family=per_family,
        resampling=resampling if resampling.factors else None,
    )


def run_labels(runs: Sequence[LoadedRun]) -> list[str]:
    """Distinct display names: the folder name; parent/name when two runs share it; a " (2)"
    suffix for the same folder given twice."""
    names = [run.name for run in runs]
    labels = [f"{run.path.parent.name}/{run.name}" if names.count(run.name) > 1 else run.name for run in runs]
    return [
        label if labels[:i].count(label) == 0 else f"{label} ({labels[:i].count(label) + 1})"
        for i, label in enumerate(labels)
    ]


@dataclass(frozen=True)
class PairedDifference:
    """first.margin - second.margin on the same suite, with a paired bootstrap interval: one
    resample draws the same families (or clusters) for both."""

    difference: float
    difference_low: float
    difference_high: float
    unit: str = "family"  # what the interval resampled (Resampling.unit)

    def excludes_zero(self) -> bool:
        return self.difference_low > 0 or self.difference_high < 0

    def to_dict(self) -> dict:
        return asdict(self)


def paired_difference(
    first: ProbeResult, second: ProbeResult, n_boot: int = N_BOOT, seed: int = 0
) -> PairedDifference:
    """first.margin - second.margin, resampled as `first` was (its suite's design). Pairing removes
    what the families share, so this interval is narrower than either margin's."""
    if [r.family for r in first.per_family] != [r.family for r in second.per_family]:
        raise UserError(f"a paired difference needs the same families: {first.suite} vs {second.suite}")
    low, high = first.design.interval(first.margins() - second.margins(), n_boot, seed)
    return PairedDifference(first.margin - second.margin, low, high, first.design.unit)


@dataclass(frozen=True)
class Comparison:
    """Two runs' results on one suite and their paired difference (first minus second)."""

    runs: dict[str, ProbeResult]  # label -> result, in the order given
    difference: PairedDifference

    def to_dict(self) -> dict:
        return {"runs": {label: r.to_dict() for label, r in self.runs.items()}, **self.difference.to_dict()}


def compare_runs(
    runs: Sequence[LoadedRun], table: ProbeTable, settings: ProbeSettings = DEFAULTS
) -> Comparison:
    """Two runs on the same suite, paired over the same resampling with the same seed."""
    if len(runs) != 2:
        raise UserError(f"compare two runs, not {len(runs)}")
    results = [score_suite(run, table, settings) for run in runs]
    difference = paired_difference(*results, n_boot=settings.n_boot, seed=settings.seed)
    return Comparison(dict(zip(run_labels(runs), results)), difference)


@dataclass(frozen=True)
class GeometryResult:
    """A suite's geometry: meaning classes are {anchor, positive} of each family; each negative
    is a class of its own (a different meaning), taking part only as a distractor."""

    silhouette: float
    retrieval_accuracy: float
    probe_columns: tuple[str, str]  # the property probed: which of these two columns a sentence is from
    probe: LinearProbe

    def to_dict(self) -> dict:
        return asdict(self)


def suite_geometry(
    run: LoadedRun,
    table: ProbeTable,
    settings: ProbeSettings = DEFAULTS,
    probe_columns: tuple[str, str] | None = None,
    folds: int = 5,
) -> GeometryResult:
    """Silhouette and retrieval of meaning classes, and a linear probe of a property (its folds
    drawn with settings.seed).

    probe_columns default to (anchor, positive): voice for the voice suite (active, passive),
    tense for the tense suite; use ("original", "shifted") for word order in bshift.
    """
    roles = settings.roles(table)
    probe_columns = tuple(probe_columns or roles[:2])
    if len(probe_columns) != 2 or probe_columns[0] == probe_columns[1]:
        raise UserError(f"a property probe compares two different columns, not {probe_columns}")
    columns = list(dict.fromkeys([*roles, *probe_columns]))
    vectors = dict(zip(columns, suite_vectors(run, table, columns, settings.state, settings.layers)))
    families = list(table.families)
    X = np.concatenate([vectors[name] for name in roles])
    meaning = families + families + [f"{f}/{roles[2]}" for f in families]
    Xp = np.concatenate([vectors[name] for name in probe_columns])
    labels = [probe_columns[0]] * len(families) + [probe_columns[1]] * len(families)
    folds = min(folds, len(families))
    return GeometryResult(
        silhouette(X, meaning),
        retrieval_accuracy(X, meaning),
        probe_columns,
        linear_probe(Xp, labels, folds=folds, seed=settings.seed, groups=families + families),
    )
