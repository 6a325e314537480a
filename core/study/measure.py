"""One finished run's numbers for a report: the dev and test scores, BLEU by source length,
loss by target position and probe margins (raw and mean-centred).

Every number comes from the run's weights and the study's corpus, recomputed the same way for
every run; nothing is copied from the training log except the curves (core.study.curves).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from core.analysis.centring import centre, reference_mean
from core.analysis.position_loss import POSITIONS, loss_by_position
from core.analysis.probe_report import report_vectors
from core.analysis.probe_scores import margin_statistics, row_cosines, suite_vectors
from core.analysis.suites import STANDARD_SUITES, builtin_suites
from core.batching import encode_pairs
from core.corpus.dataset import ParallelData
from core.errors import UserError
from core.evaluation import MAX_EVAL_TOKENS, evaluate_pairs
from core.run.loaded import LoadedRun
from core.search import SearchConfig

PROBE_SUITES = STANDARD_SUITES  # the suites a report scores at the end


@dataclass(frozen=True)
class MeasureConfig:
    beam: int = 5  # the paper's Table 1 uses 2 and 12; 5 is what `s2s eval` uses by default
    max_sentences: int | None = None  # cap on dev and test pairs scored (None: all of them)
    positions: int = POSITIONS  # target positions of the loss-by-position curve
    suites: tuple[str, ...] = PROBE_SUITES  # built-in probe suites scored at the end

    def __post_init__(self):
        SearchConfig(beam=self.beam)  # its own errors name --beam
        if self.max_sentences is not None and self.max_sentences < 1:
            raise UserError(f"--max-sentences must be at least 1, not {self.max_sentences}")
        if self.positions < 1:
            raise UserError(f"--positions must be at least 1, not {self.positions}")
        unknown = [s for s in self.suites if s not in builtin_suites()]
        if unknown:
            raise UserError(f"no built-in suite {unknown[0]!r}: choose from {', '.join(builtin_suites())}")
        object.__setattr__(self, "suites", tuple(self.suites))

    def to_dict(self) -> dict:
        return {**asdict(self), "suites": list(self.suites)}


def split_scores(run: LoadedRun, pairs: Sequence[tuple[str, str]], config: MeasureConfig) -> dict | None:
    """BLEU, chrF (with signatures), perplexity and BLEU by source length of one split, as
    `s2s eval` scores a test set (core.evaluation.evaluate_pairs); None for an empty split."""
    pairs = [(s, t) for s, t in pairs if s.strip()][: config.max_sentences]
    return evaluate_pairs(run, pairs, SearchConfig(beam=config.beam)) if pairs else None


def probe_margins(run: LoadedRun, suites: Sequence[str], reference: Sequence[str]) -> dict:
    """{suite: {"raw", "centred", "lead": {margin, margin_low, margin_high, win_rate?}, "over",
    "beats_baselines"}}.

    Raw: the cosine margin beside the surface baselines (core.analysis.probe_report: bag of
    words, bag of bigrams, the untrained encoder); "lead" is the margin minus the best
    baseline's, paired over families. Centred: the margin after subtracting the mean thought
    vector of the `reference` sentences (core.analysis.centring).
    """
    tables = builtin_suites()
    mean = reference_mean(run, reference)
    keys = ("margin", "margin_low", "margin_high")
    out = {}
    for name in suites:
        roles = tables[name].roles()
        vectors = suite_vectors(run, tables[name], roles)  # encoded once: raw, baselines' leads, centred
        report = report_vectors(run, tables[name], roles, vectors)
        A, P, N = (centre(v, mean) for v in vectors)
        centred = margin_statistics(row_cosines(A, P), row_cosines(A, N))
        out[name] = {
            "raw": {**{k: getattr(report.model, k) for k in keys}, "win_rate": report.model.win_rate},
            "centred": {k: centred[k] for k in (*keys, "win_rate")},
            "lead": {k: report.lead[k] for k in keys},
            "over": report.lead["over"],
            "beats_baselines": report.beats_baselines,
        }
    return out


def measure_run(run: LoadedRun, data: ParallelData, config: MeasureConfig, reference: Sequence[str]) -> dict:
    """Every per-run number of the report (plain JSON types; NaN where undefined)."""
    test = encode_pairs([(s, t) for s, t in data.test if s.strip()][: config.max_sentences],
                        run.src_tok, run.tgt_tok, MAX_EVAL_TOKENS)  # fmt: skip
    position_loss = None
    if len(test):
        losses, counts = loss_by_position(run.model, test, run.device, config.positions)
        position_loss = {
            "positions": list(range(1, config.positions + 1)),
            "loss": [float(v) if math.isfinite(v) else None for v in losses],
            "count": [int(c) for c in counts],
        }
    return {
        "step": run.step,
        "dev": split_scores(run, data.dev, config),
        "test": split_scores(run, data.test, config),
        "position_loss": position_loss,
        "probes": probe_margins(run, config.suites, reference),
    }
