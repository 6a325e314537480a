"""One finished run's numbers for a report: the dev and test scores (with the test hypotheses,
for the paired bootstrap between arms), BLEU by source length, loss by target position and probe
margins, raw and mean-centred, each beside its baselines.

Every number comes from the run's weights and the study's corpus, recomputed the same way for
every run; nothing is copied from the training log except the curves (core.study.curves).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from core.analysis.position_loss import POSITIONS, loss_by_position
from core.analysis.probe_report import ProbeReport, report_vectors
from core.analysis.probe_scores import suite_vectors
from core.analysis.probe_settings import DEFAULTS
from core.analysis.suites import BUILTIN_PREFIX, STANDARD_SUITES, load_suite
from core.batching import encode_pairs
from core.config.search import SearchConfig
from core.corpus.dataset import ParallelData
from core.errors import UserError
from core.evaluation import MAX_EVAL_TOKENS, evaluate_pairs
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


def split_scores(
    run: LoadedRun, pairs: Sequence[tuple[str, str]], config: MeasureConfig, keep_hypotheses: bool = False
) -> dict | None:
    """BLEU, chrF (with signatures), perplexity and BLEU by source length of one split, as
    `s2s eval` scores a test set (core.evaluation.evaluate_pairs); None for an empty split."""
    pairs = scored_pairs(pairs, config)
    if not pairs:
        return None
    return evaluate_pairs(
        run, pairs, SearchConfig(beam=config.beam), keep_hypotheses=keep_hypotheses
    ).to_dict()


def probe_summary(report: ProbeReport) -> dict:
    """A report's numbers for the study: the margin and its interval, the lead over the best
    baseline, whether it beats all of them, each baseline's margin, and the resampling unit."""
    model = report.model
    return {
        "margin": model.margin,
        "margin_low": model.margin_low,
        "margin_high": model.margin_high,
        "win_rate": model.win_rate,
        "lead": report.lead.to_dict(),
        "beats_baselines": report.beats_baselines,
        "baselines": {name: result.margin for name, result in report.baselines.items()},
        "resampling": model.design.to_dict(),
    }


def probe_margins(run: LoadedRun, suites: Sequence[str], reference: Sequence[str]) -> dict:
    """{suite name: {"raw": probe_summary, "centred": probe_summary}}.

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
        out[table.name] = {
            "raw": probe_summary(report_vectors(run, table, roles, vectors)),
            "centred": probe_summary(report_vectors(run, table, roles, vectors, reference=reference)),
        }
    return out


def measure_run(run: LoadedRun, data: ParallelData, config: MeasureConfig, reference: Sequence[str]) -> dict:
    """Every per-run number of the report (plain JSON types; NaN where undefined). The test split
    keeps its hypotheses ("hypotheses") for the paired bootstrap between arms."""
    test = encode_pairs(scored_pairs(data.test, config), run.src_tok, run.tgt_tok, MAX_EVAL_TOKENS)
    position_loss = None
    if len(test):
        losses, counts = loss_by_position(run.model, test, run.device, config.positions)
        position_loss = {
            "positions": list(range(1, config.positions + 1)),
            "loss": [float(v) if math.isfinite(v) else None for v in losses],
            "count": [int(c) for c in counts],
        }
    return {
        "version": MEASURE_VERSION,
        "step": run.step,
        "dev": split_scores(run, data.dev, config),
        "test": split_scores(run, data.test, config, keep_hypotheses=True),
        "position_loss": position_loss,
        "probes": probe_margins(run, config.suites, reference),
    }
