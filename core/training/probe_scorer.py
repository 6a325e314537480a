"""Representation dynamics: probe margins at every dev evaluation, as "probe" records in metrics.jsonl.

    {"kind": "probe", "step": 500, "suite": "voice", "n": 200, "margin": 0.012, "low": 0.003,
     "high": 0.021, "win_rate": 0.55, "cos_positive": ..., "cos_negative": ..., "state": "hc",
     "layers": "all", "unit": "verb x people"}

The interval resamples the suite's design ("unit": its clusters, core.analysis.bootstrap), as
every other probe interval does. When a run starts, its step-0 margins (the untrained encoder:
the first point of every curve) and each suite's surface baselines are recorded too, so every
curve has its baselines beside it:

    {"kind": "probe", "step": 0, "suite": "voice", "baseline": "bag_of_bigrams", "margin": 0.0,
     "low": ..., "high": ..., "unit": "verb x people"}

So every run, study or not, has margin-against-step curves. The suites' sentences are tokenized
once when training starts and encoded in one batched pass per evaluation (the cost is measured by
benchmarks/probe_cost.py). A suite the run's tokenizer cannot read (a word-level vocabulary that
lacks its words) is skipped with one "probe" record saying why, instead of being scored on <unk>.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from core.analysis.bootstrap import FAMILY, Resampling, difference_statistics
from core.analysis.probe_report import baseline_results
from core.analysis.probe_scores import row_cosines
from core.analysis.probe_settings import DEFAULTS
from core.analysis.suites import load_suite
from core.corpus.probe_suite import ProbeTable
from core.errors import UserError
from core.run.loaded import LoadedRun
from core.training.trainer import Callback
from core.vector_choice import DEFAULT_LAYERS, DEFAULT_STATE
from core.vectors import encode_ids

STATE, LAYERS = DEFAULT_STATE, DEFAULT_LAYERS  # the paper's thought vector: (h, c) of every layer


@dataclass(frozen=True)
class ProbeRecord:
    """One suite scored at one dev evaluation: a "probe" record of metrics.jsonl (module docstring)."""

    step: int
    suite: str
    n: int  # families
    margin: float  # mean of cos(anchor, positive) - cos(anchor, negative) over families
    low: float  # the 95% bootstrap interval over families (not over trainings)
    high: float
    win_rate: float  # share of families whose positive is the closer
    cos_positive: float
    cos_negative: float
    state: str = STATE
    layers: str = LAYERS
    unit: str = FAMILY  # what the bootstrap resampled (core.analysis.bootstrap.Resampling)

    def to_dict(self) -> dict:
        return {"kind": "probe", **asdict(self)}


@dataclass(frozen=True)
class _Suite:
    name: str
    table: ProbeTable
    start: int  # the suite's first row in the shared batch: anchors, positives, negatives follow
    resampling: Resampling  # the suite's design


def load_probe_suites(specs: tuple[str, ...]) -> list[ProbeTable]:
    """Read every suite before training starts (a bad path is a UserError, nothing written)."""
    return [load_suite(spec) for spec in specs]


class ProbeScorer(Callback):
    """Scores the suites after each dev evaluation and hands the records to `write`."""

    def __init__(self, run: LoadedRun, tables: list[ProbeTable], write):
        self.run, self.write = run, write
        self.suites: list[_Suite] = []
        self.ids: list[list[int]] = []
        self.skipped: list[dict] = []
        for table in tables:
            columns = [table.column(name) for name in table.roles()]
            try:
                ids = run.source_ids([s for column in columns for s in column], strict=True)
            except UserError as err:
                self.skipped.append({"suite": table.name, "skipped": str(err)})
                continue
            self.suites.append(_Suite(table.name, table, len(self.ids), DEFAULTS.resampling(table)))
            self.ids += ids

    def start(self) -> None:
        """Record the model's margins before its first step and each suite's surface baselines."""
        for probe in self.scores(0):
            self.write(probe.to_dict())
        for suite in self.suites:
            roles = DEFAULTS.roles(suite.table)
            for name, result in baseline_results(None, suite.table, roles, DEFAULTS).items():
                self.write(
                    {
                        "kind": "probe",
                        "step": 0,
                        "suite": suite.name,
                        "baseline": name,
                        "margin": result.margin,
                        "low": result.margin_low,
                        "high": result.margin_high,
                        "unit": suite.resampling.unit,
                    }
                )

    def scores(self, step: int) -> list[ProbeRecord]:
        """One record per suite: its margin, bootstrap interval (by the suite's design), win rate."""
        if not self.ids:
            return []
        vectors = encode_ids(self.run, self.ids, STATE, LAYERS)
        records = []
        for suite in self.suites:
            n = len(suite.table.rows)
            A, P, N = (vectors[suite.start + i * n : suite.start + (i + 1) * n] for i in range(3))
            pos, neg = row_cosines(A, P), row_cosines(A, N)
            stats = difference_statistics(pos - neg, resampling=suite.resampling)
            interval = stats.margin, stats.margin_low, stats.margin_high, stats.win_rate
            cosines = float(pos.mean()), float(neg.mean())
            records.append(ProbeRecord(step, suite.name, n, *interval, *cosines, unit=suite.resampling.unit))
        return records

    def on_eval(self, record: dict) -> None:
        for skipped in self.skipped:
            self.write({"kind": "probe", "step": record["step"], **skipped})
        self.skipped = []  # said once
        for probe in self.scores(record["step"]):
            self.write(probe.to_dict())
