"""A probe score as evidence: the model's margin beside three surface baselines, split by tag.

    report = report_suite(run, table)           # the model and bag_of_words, bag_of_bigrams, untrained
    report.lead                                 # model minus the best baseline, paired over families
    report.beats_baselines                      # True only if it beats all three
    report.split(table, "verb")                 # the same margins, family group by family group

A margin above zero is not yet evidence that the encoder keeps meaning: in a suite whose positive
shares more words with the anchor than the negative does, a bag of words scores above zero too.
A score counts only when its lead over every baseline has a paired 95% interval above zero.
Every interval here resamples sentence families, not trainings (bootstrap.INTERVAL_NOTE); the
spread between trainings is `seed_summary` over runs that differ only in their seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.analysis.baselines import BASELINES, UNTRAINED, surface_vectors, untrained_run
from core.analysis.bootstrap import N_BOOT, difference_statistics
from core.analysis.probe_scores import (
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
class ProbeReport:
    model: ProbeResult
    baselines: dict[str, ProbeResult]  # BASELINES order: bag_of_words, bag_of_bigrams, untrained
    leads: dict[str, dict]  # baseline -> paired_difference(model, baseline)
    n_boot: int = N_BOOT
    seed: int = 0

    @property
    def best_baseline(self) -> str:
        """The baseline with the highest margin (the one the model must beat)."""
        return max(self.baselines, key=lambda name: self.baselines[name].margin)

    @property
    def lead(self) -> dict:
        """{"over", "margin", "margin_low", "margin_high"}: model minus the best baseline."""
        lead = self.leads[self.best_baseline]
        return {"over": self.best_baseline, "margin": lead["difference"],
                "margin_low": lead["difference_low"], "margin_high": lead["difference_high"]}  # fmt: skip

    @property
    def beats_baselines(self) -> bool:
        """Every lead's paired interval lies above zero."""
        return all(lead["difference_low"] > 0 for lead in self.leads.values())

    def reading(self) -> str:
        """One sentence a person can act on."""
        lead = self.lead
        figure = f"{lead['margin']:+.3f} [{lead['margin_low']:+.3f}, {lead['margin_high']:+.3f}]"
        if self.beats_baselines:
            return f"beats all {len(self.leads)} baselines: lead over {lead['over']} {figure}"
        return (f"not evidence of meaning: it does not beat every surface baseline "
                f"(lead over the best, {lead['over']}: {figure})")  # fmt: skip

    def to_dict(self) -> dict:
        """The model's result (ProbeResult.to_dict), then the baselines, the lead and the reading."""
        baselines = {}
        for name, result in self.baselines.items():
            lead = self.leads[name]
            baselines[name] = {**{k: getattr(result, k) for k in BASELINE_FIELDS},
                               "model_lead": lead["difference"], "model_lead_low": lead["difference_low"],
                               "model_lead_high": lead["difference_high"]}  # fmt: skip
        return {**self.model.to_dict(), "baselines": baselines, "lead": self.lead,
                "beats_baselines": self.beats_baselines, "reading": self.reading()}  # fmt: skip

    def split(self, table: ProbeTable, tag: str) -> dict:
        """The model's and each baseline's margin per value of `tag`: {"tag", "groups": [{"value",
        "n", "note"?, "model": stats, "baselines": {name: stats}}]}, groups in order of first
        appearance. They add up: the group sizes sum to n, and the size-weighted mean of the
        group margins is the overall margin (the margin is a mean over families)."""
        values = table.tag(tag)
        if len(values) != self.model.n:
            raise UserError(f"suite {table.name} has {len(values)} families, the scores {self.model.n}")
        groups = []
        for value in dict.fromkeys(values):
            index = np.array([i for i, v in enumerate(values) if v == value])
            group = {"value": value, "n": len(index)}
            if few_families_note(len(index)):
                group["note"] = few_families_note(len(index))
            group["model"] = difference_statistics(self.model.margins()[index], self.n_boot, self.seed)
            group["baselines"] = {
                name: difference_statistics(result.margins()[index], self.n_boot, self.seed)
                for name, result in self.baselines.items()
            }
            groups.append(group)
        return {"tag": tag, "groups": groups}


def baseline_results(
    run: LoadedRun | None, table: ProbeTable, roles: tuple[str, str, str], settings: ProbeSettings = DEFAULTS
) -> dict[str, ProbeResult]:
    """Each baseline's margins on the role columns (the untrained one only with a run)."""
    texts = [table.column(name) for name in roles]
    n = len(table.rows)
    results = {}
    for name in BASELINES:
        if name == UNTRAINED:
            if run is None:
                continue
            vectors = suite_vectors(untrained_run(run), table, roles, settings.state, settings.layers)
        else:
            joint = surface_vectors(name, [s for column in texts for s in column])  # one vocabulary
            vectors = [joint[i * n : (i + 1) * n] for i in range(3)]
        results[name] = score_vectors(table, roles, vectors, settings)
    return results


def report_suite(run: LoadedRun, table: ProbeTable, settings: ProbeSettings = DEFAULTS) -> ProbeReport:
    """The run's margins on a suite beside the three baselines (the same roles, state, layers,
    resamples and seed, so the leads are paired over the same families)."""
    roles = settings.roles(table)
    return report_vectors(
        run, table, roles, suite_vectors(run, table, roles, settings.state, settings.layers), settings
    )


def report_vectors(
    run: LoadedRun,
    table: ProbeTable,
    roles: tuple[str, str, str],
    vectors: Sequence[np.ndarray],
    settings: ProbeSettings = DEFAULTS,
) -> ProbeReport:
    """report_suite for the run's vectors of the role columns, already encoded (n, d) each (a
    caller that also needs them, e.g. for centred margins, encodes the suite once)."""
    model = score_vectors(table, roles, vectors, settings)
    baselines = baseline_results(run, table, roles, settings)
    leads = {name: paired_difference(model, result, settings.n_boot, settings.seed)
             for name, result in baselines.items()}  # fmt: skip
    return ProbeReport(model, baselines, leads, settings.n_boot, settings.seed)


def compare_reports(
    runs: Sequence[LoadedRun], table: ProbeTable, settings: ProbeSettings = DEFAULTS
) -> tuple[list[ProbeReport], dict]:
    """Two runs' reports and {"runs": {label: report dict}, "difference", "difference_low",
    "difference_high"}: the paired difference of their margins (the figure that held up across
    trainings in the README's Figure 2 runs)."""
    if len(runs) != 2:
        raise UserError(f"compare two runs, not {len(runs)}")
    reports = [report_suite(run, table, settings) for run in runs]
    labels = run_labels(runs)
    return reports, {
        "runs": {label: report.to_dict() for label, report in zip(labels, reports)},
        **paired_difference(reports[0].model, reports[1].model, settings.n_boot, settings.seed),
    }


def seed_summary(values: Sequence[float]) -> dict:
    """One figure from runs that differ only in their seed -> {"mean", "min", "max", "n_seeds"}:
    the training variance that a bootstrap over families does not show."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or len(values) == 0:
        raise UserError("a summary over seeds needs at least one run's value")
    return {"mean": float(values.mean()), "min": float(values.min()), "max": float(values.max()),
            "n_seeds": len(values)}  # fmt: skip
