"""A probe score as evidence: the model's margin beside three surface baselines, split by tag.

    report = report_suite(run, table)           # the model and bag_of_words, bag_of_bigrams, untrained
    report.lead                                 # model minus the best baseline, paired
    report.beats_baselines                      # True only if it beats all three
    report.split(table, "verb")                 # the same margins, family group by family group
    report_suite(run, table, reference=sents)   # the same on vectors centred on a reference set

A margin above zero is not yet evidence that the encoder keeps meaning: in a suite whose positive
shares more words with the anchor than the negative does, a bag of words scores above zero too.
A score counts only when its lead over every baseline has a paired 95% interval above zero.
Every interval here resamples the suite's design (ProbeSettings.resampling: clusters of verbs
and names for the built-in suites), not trainings (bootstrap.INTERVAL_NOTE); the model, its
baselines and every lead use the same resampling. The spread between trainings is a study's
business (core.study: means over seeds with t-intervals).

Centred margins subtract from every vector the mean of its own encoder's (or vectoriser's)
vectors of a fixed reference set of sentences (core.analysis.centring). The baselines are
centred on the same reference set, so a centred margin has its own baselines to be read against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from core.analysis.baselines import BASELINES, UNTRAINED, surface_vectors, untrained_run
from core.analysis.bootstrap import N_BOOT, Interval, difference_statistics
from core.analysis.centring import centre, reference_mean
from core.analysis.probe_scores import (
    PairedDifference,
    ProbeResult,
    few_families_note,
    paired_difference,
    run_labels,
    score_vectors,
    suite_vectors,
)
from core.analysis.probe_settings import DEFAULTS, ProbeSettings
from core.corpus.probe_suite import ProbeTable
from core.errors import UserError
from core.run.loaded import LoadedRun

BASELINE_FIELDS = ("cos_positive", "cos_negative", "margin", "margin_low", "margin_high", "win_rate")


@dataclass(frozen=True)
class Lead:
    """The model's margin minus the best baseline's, with their paired interval."""

    over: str
    margin: float
    margin_low: float
    margin_high: float

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Lead:
        return cls(d["over"], d["margin"], d["margin_low"], d["margin_high"])


@dataclass(frozen=True)
class GroupScore:
    """The margins of the families that share one value of a tag."""

    value: str
    n: int
    model: Interval
    baselines: dict[str, Interval]

    @property
    def note(self) -> str | None:
        return few_families_note(self.n)

    def to_dict(self) -> dict:
        d = {"value": self.value, "n": self.n}
        if self.note:
            d["note"] = self.note
        d["model"] = self.model.to_dict()
        d["baselines"] = {name: stats.to_dict() for name, stats in self.baselines.items()}
        return d


@dataclass(frozen=True)
class TagSplit:
    tag: str
    groups: tuple[GroupScore, ...]

    def to_dict(self) -> dict:
        return {"tag": self.tag, "groups": [g.to_dict() for g in self.groups]}


@dataclass(frozen=True)
class ProbeReport:
    model: ProbeResult
    baselines: dict[str, ProbeResult]  # BASELINES order: bag_of_words, bag_of_bigrams, untrained
    leads: dict[str, PairedDifference]  # baseline -> paired_difference(model, baseline)
    n_boot: int = N_BOOT
    seed: int = 0
    reference: int = 0  # sentences every vector was centred on (0: raw cosines)

    @property
    def best_baseline(self) -> str:
        """The baseline with the highest margin (the one the model must beat)."""
        return max(self.baselines, key=lambda name: self.baselines[name].margin)

    @property
    def lead(self) -> Lead:
        """The model minus the best baseline."""
        lead = self.leads[self.best_baseline]
        return Lead(self.best_baseline, lead.difference, lead.difference_low, lead.difference_high)

    @property
    def beats_baselines(self) -> bool:
        """Every lead's paired interval lies above zero."""
        return all(lead.difference_low > 0 for lead in self.leads.values())

    def reading(self) -> str:
        """One sentence a person can act on."""
        lead = self.lead
        figure = f"{lead.margin:+.3f} [{lead.margin_low:+.3f}, {lead.margin_high:+.3f}]"
        if self.beats_baselines:
            return f"beats all {len(self.leads)} baselines: lead over {lead.over} {figure}"
        return (
            "not evidence of meaning: it does not beat every surface baseline "
            f"(lead over the best, {lead.over}: {figure})"
        )

    def to_dict(self) -> dict:
        """The model's result (ProbeResult.to_dict), then the baselines, the lead and the reading."""
        baselines = {}
        for name, result in self.baselines.items():
            lead = self.leads[name]
            baselines[name] = {
                **{k: getattr(result, k) for k in BASELINE_FIELDS},
                "model_lead": lead.difference,
                "model_lead_low": lead.difference_low,
                "model_lead_high": lead.difference_high,
            }
        return {
            **self.model.to_dict(),
            "centred_on": self.reference or None,
            "baselines": baselines,
            "lead": self.lead.to_dict(),
            "beats_baselines": self.beats_baselines,
            "reading": self.reading(),
        }

    def split(self, table: ProbeTable, tag: str) -> TagSplit:
        """The model's and each baseline's margin per value of `tag`, groups in order of first
        appearance. They add up: the group sizes sum to n, and the size-weighted mean of the
        group margins is the overall margin (the margin is a mean over families). Each group's
        interval resamples the suite's design within the group."""
        values = table.tag(tag)
        if len(values) != self.model.n:
            raise UserError(f"suite {table.name} has {len(values)} families, the scores {self.model.n}")
        groups = []
        for value in dict.fromkeys(values):
            index = np.array([i for i, v in enumerate(values) if v == value])
            design = self.model.design.subset(index)

            def stats(result: ProbeResult, index=index, design=design) -> Interval:
                return difference_statistics(result.margins()[index], self.n_boot, self.seed, design)

            baselines = {name: stats(result) for name, result in self.baselines.items()}
            groups.append(GroupScore(value, len(index), stats(self.model), baselines))
        return TagSplit(tag, tuple(groups))


def _centred(vectors: Sequence[np.ndarray], reference: np.ndarray) -> list[np.ndarray]:
    """Suite vectors (n, d) each, centred on the mean of the (m, d) reference vectors."""
    mean = np.asarray(reference, dtype=np.float64).mean(0)
    return [centre(v, mean) for v in vectors]


def baseline_results(
    run: LoadedRun | None,
    table: ProbeTable,
    roles: tuple[str, str, str],
    settings: ProbeSettings = DEFAULTS,
    reference: Sequence[str] | None = None,
) -> dict[str, ProbeResult]:
    """Each baseline's margins on the role columns (the untrained one only with a run); with
    `reference`, each baseline's vectors centred on its own vectors of those sentences."""
    texts = [table.column(name) for name in roles]
    n, m = len(table.rows), len(reference or ())
    results = {}
    for name in BASELINES:
        if name == UNTRAINED:
            if run is None:
                continue
            untrained = untrained_run(run)
            vectors = suite_vectors(untrained, table, roles, settings.state, settings.layers)
            if reference:
                mean = reference_mean(untrained, reference, settings.state, settings.layers)
                vectors = [centre(v, mean) for v in vectors]
        else:  # one vocabulary over the suite and the reference sentences
            joint = surface_vectors(name, [s for column in texts for s in column] + list(reference or ()))
            vectors = [joint[i * n : (i + 1) * n] for i in range(3)]
            if reference:
                vectors = _centred(vectors, joint[3 * n : 3 * n + m])
        results[name] = score_vectors(table, roles, vectors, settings)
    return results


def report_suite(
    run: LoadedRun,
    table: ProbeTable,
    settings: ProbeSettings = DEFAULTS,
    reference: Sequence[str] | None = None,
) -> ProbeReport:
    """The run's margins on a suite beside the three baselines (the same roles, state, layers,
    resampling, resamples and seed, so the leads are paired); with `reference`, on vectors centred
    on those sentences, the baselines' too."""
    roles = settings.roles(table)
    return report_vectors(
        run,
        table,
        roles,
        suite_vectors(run, table, roles, settings.state, settings.layers),
        settings,
        reference,
    )


def report_vectors(
    run: LoadedRun,
    table: ProbeTable,
    roles: tuple[str, str, str],
    vectors: Sequence[np.ndarray],
    settings: ProbeSettings = DEFAULTS,
    reference: Sequence[str] | None = None,
) -> ProbeReport:
    """report_suite for the run's vectors of the role columns, already encoded (n, d) each (a
    caller that needs both the raw and the centred report encodes the suite once)."""
    if reference:
        mean = reference_mean(run, reference, settings.state, settings.layers)
        vectors = [centre(v, mean) for v in vectors]
    model = score_vectors(table, roles, vectors, settings)
    baselines = baseline_results(run, table, roles, settings, reference)
    leads = {
        name: paired_difference(model, result, settings.n_boot, settings.seed)
        for name, result in baselines.items()
    }
    return ProbeReport(model, baselines, leads, settings.n_boot, settings.seed, len(reference or ()))


@dataclass(frozen=True)
class ReportComparison:
    """Two runs' reports on one suite and the paired difference of their margins."""

    labels: tuple[str, str]
    reports: tuple[ProbeReport, ProbeReport]
    difference: PairedDifference

    def to_dict(self) -> dict:
        runs = {label: report.to_dict() for label, report in zip(self.labels, self.reports)}
        return {"runs": runs, **self.difference.to_dict()}


def compare_reports(
    runs: Sequence[LoadedRun], table: ProbeTable, settings: ProbeSettings = DEFAULTS
) -> ReportComparison:
    """Two runs' reports and the paired difference of their margins (the same resampling)."""
    if len(runs) != 2:
        raise UserError(f"compare two runs, not {len(runs)}")
    first, second = (report_suite(run, table, settings) for run in runs)
    difference = paired_difference(first.model, second.model, settings.n_boot, settings.seed)
    return ReportComparison(tuple(run_labels(runs)), (first, second), difference)
