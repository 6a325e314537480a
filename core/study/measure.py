"""One finished run's numbers for a report: the dev and test scores (with the test hypotheses,
for the paired bootstrap between arms), BLEU by source length, loss by target position and probe
margins, raw and mean-centred, each beside its baselines.

Every number comes from the run's weights and the study's corpus, recomputed the same way for
every run; nothing is copied from the training log except the curves (core.study.curves).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from core.analysis.bootstrap import ResamplingSummary
from core.analysis.position_loss import POSITIONS, loss_by_position
from core.analysis.probe_report import Lead, ProbeReport, report_vectors
from core.analysis.probe_scores import suite_vectors
from core.analysis.probe_settings import DEFAULTS
from core.analysis.suites import BUILTIN_PREFIX, STANDARD_SUITES, load_suite
from core.batching import encode_pairs
from core.config.search import SearchConfig
from core.corpus.dataset import ParallelData
from core.errors import UserError
from core.evaluation import MAX_EVAL_TOKENS, TestScores, evaluate_pairs
from core.run.loaded import LoadedRun

PROBE_SUITES = tuple(BUILTIN_PREFIX + name for name in STANDARD_SUITES)  # scored at the end of every run
MEASURE_VERSION = 2  # 2: test hypotheses, probe baselines centred too; a cache of another version is redone


@dataclass(frozen=True)
class MeasureConfig:
    beam: int = 5  # the paper's Table 1 uses 2 and 12; 5 is what `s2s eval` uses by default
    max_sentences: int | None = None  # cap on dev and test pairs scored (None: all of them)
    positions: int = POSITIONS  # target positions of the loss-by-position curve
    suites: tuple[str, ...] = PROBE_SUITES  # probe suites scored at the end: builtin:NAME or TSV files

    def __post_init__(self):
        SearchConfig(beam=self.beam)  # its own errors name --beam
        if self.max_sentences is not None and self.max_sentences < 1:
            raise UserError(f"--max-sentences must be at least 1, not {self.max_sentences}")
        if self.positions < 1:
            raise UserError(f"--positions must be at least 1, not {self.positions}")
        object.__setattr__(self, "suites", tuple(dict.fromkeys(str(s) for s in self.suites)))
        for suite in self.suites:
            load_suite(suite)  # a UserError naming the suite or the file

    def to_dict(self) -> dict:
        return {**asdict(self), "suites": list(self.suites), "version": MEASURE_VERSION}


def scored_pairs(pairs: Sequence[tuple[str, str]], config: MeasureConfig) -> list[tuple[str, str]]:
    """The pairs of a split that are scored: non-empty sources, at most config.max_sentences."""
    return [(s, t) for s, t in pairs if s.strip()][: config.max_sentences]


@dataclass(frozen=True)
class ProbeSummary:
    """One suite's probe margin in one run, as the study reads it: the margin and its interval, the
    lead over the best baseline, whether it beats all of them, each baseline's margin, and the
    resampling unit of the intervals."""

    margin: float | None
    margin_low: float | None
    margin_high: float | None
    win_rate: float | None
    lead: Lead
    beats_baselines: bool
    baselines: Mapping[str, float | None]  # baseline -> its margin
    resampling: ResamplingSummary

    @classmethod
    def of(cls, report: ProbeReport) -> ProbeSummary:
        model = report.model
        baselines = {name: result.margin for name, result in report.baselines.items()}
        interval = (model.margin, model.margin_low, model.margin_high, model.win_rate)
        return cls(*interval, report.lead, report.beats_baselines, baselines, model.design.summary())

    def to_dict(self) -> dict:
        interval = {"margin": self.margin, "margin_low": self.margin_low, "margin_high": self.margin_high}
        return {
            **interval,
            "win_rate": self.win_rate,
            "lead": self.lead.to_dict(),
            "beats_baselines": self.beats_baselines,
            "baselines": dict(self.baselines),
            "resampling": self.resampling.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict) -> ProbeSummary:
        interval = (d["margin"], d["margin_low"], d["margin_high"], d["win_rate"])
        lead, resampling = Lead.from_dict(d["lead"]), ResamplingSummary.from_dict(d["resampling"])
        return cls(*interval, lead, d["beats_baselines"], dict(d["baselines"]), resampling)


@dataclass(frozen=True)
class SuiteMargins:
    """One suite in one run: its margins on raw vectors and on mean-centred ones."""

    raw: ProbeSummary
    centred: ProbeSummary

    def to_dict(self) -> dict:
        return {"raw": self.raw.to_dict(), "centred": self.centred.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> SuiteMargins:
        return cls(ProbeSummary.from_dict(d["raw"]), ProbeSummary.from_dict(d["centred"]))


@dataclass(frozen=True)
class LossAtPositions:
    """Test cross-entropy at target positions 1..P (None where no target reaches a position)."""

    positions: tuple[int, ...]
    loss: tuple[float | None, ...]
    count: tuple[int, ...]  # target tokens at each position

    def to_dict(self) -> dict:
        return {"positions": list(self.positions), "loss": list(self.loss), "count": list(self.count)}

    @classmethod
    def from_dict(cls, d: dict) -> LossAtPositions:
        return cls(tuple(d["positions"]), tuple(d["loss"]), tuple(d["count"]))


@dataclass(frozen=True)
class RunMeasure:
    """Every per-run number of the report, and the run's cache in measures/NAME.json (versioned: a
    cache of another MEASURE_VERSION is measured again)."""

    step: int
    dev: TestScores | None  # None: an empty split
    test: TestScores | None  # keeps its hypotheses, for the paired bootstrap between arms
    position_loss: LossAtPositions | None  # None: no test pairs
    probes: Mapping[str, SuiteMargins]  # suite name -> its margins

    def to_dict(self) -> dict:
        splits = {
            name: None if s is None else s.to_dict() for name, s in (("dev", self.dev), ("test", self.test))
        }
        position_loss = None if self.position_loss is None else self.position_loss.to_dict()
        probes = {name: suite.to_dict() for name, suite in self.probes.items()}
        return {
            "version": MEASURE_VERSION,
            "step": self.step,
            **splits,
            "position_loss": position_loss,
            "probes": probes,
        }

    @classmethod
    def from_dict(cls, d: dict) -> RunMeasure:
        """A ValueError for another MEASURE_VERSION."""
        if d.get("version") != MEASURE_VERSION:
            raise ValueError(f"measure version {d.get('version')}, not {MEASURE_VERSION}")
        dev, test = (None if d[k] is None else TestScores.from_dict(d[k]) for k in ("dev", "test"))
        position_loss = None if d["position_loss"] is None else LossAtPositions.from_dict(d["position_loss"])
        probes = {name: SuiteMargins.from_dict(suite) for name, suite in d["probes"].items()}
        return cls(d["step"], dev, test, position_loss, probes)


def split_scores(
    run: LoadedRun, pairs: Sequence[tuple[str, str]], config: MeasureConfig, keep_hypotheses: bool = False
) -> TestScores | None:
    """BLEU, chrF (with signatures), perplexity and BLEU by source length of one split, as
    `s2s eval` scores a test set (core.evaluation.evaluate_pairs); None for an empty split."""
    pairs = scored_pairs(pairs, config)
    if not pairs:
        return None
    return evaluate_pairs(run, pairs, SearchConfig(beam=config.beam), keep_hypotheses=keep_hypotheses)


def probe_margins(run: LoadedRun, suites: Sequence[str], reference: Sequence[str]) -> dict[str, SuiteMargins]:
    """{suite name: its SuiteMargins}.

    Raw: cosine margins beside the surface baselines (core.analysis.probe_report: bag of words,
    bag of bigrams, the untrained encoder). Centred: every vector, the baselines' too, centred
    on the mean of its own vectors of the `reference` sentences (core.analysis.centring). Each
    suite is encoded once.
    """
    out = {}
    for spec in suites:
        table = load_suite(spec)
        roles = DEFAULTS.roles(table)
        vectors = suite_vectors(run, table, roles)
        out[table.name] = SuiteMargins(
            ProbeSummary.of(report_vectors(run, table, roles, vectors)),
            ProbeSummary.of(report_vectors(run, table, roles, vectors, reference=reference)),
        )
    return out


def measure_run(
    run: LoadedRun, data: ParallelData, config: MeasureConfig, reference: Sequence[str]
) -> RunMeasure:
    """Every per-run number of the report (NaN where undefined). The test split keeps its
    hypotheses for the paired bootstrap between arms."""
    test = encode_pairs(scored_pairs(data.test, config), run.src_tok, run.tgt_tok, MAX_EVAL_TOKENS)
    position_loss = None
    if len(test):
        losses, counts = loss_by_position(run.model, test, run.device, config.positions)
        position_loss = LossAtPositions(
            tuple(range(1, config.positions + 1)),
            tuple(float(v) if math.isfinite(v) else None for v in losses),
            tuple(int(c) for c in counts),
        )
    return RunMeasure(
        run.step,
        split_scores(run, data.dev, config),
        split_scores(run, data.test, config, keep_hypotheses=True),
        position_loss,
        probe_margins(run, config.suites, reference),
    )
