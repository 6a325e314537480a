"""How long Home's "Reproduce Figure 2" takes on this machine, measured, not promised: a few timed
optimizer steps of its model (core.training.speed) times the steps the shipped demo pair needed
before its dev BLEU stopped rising, plus the share of time its evaluations took. No Streamlit here."""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass

from core.run.config import RunConfig
from core.run.folder import read_metrics
from core.run.listing import RunInfo
from core.training.presets import get_preset
from explorer.jobs import figure2_options
from explorer.train.progress import format_duration


@dataclass(frozen=True)
class Figure2Estimate:
    seconds_per_step: float  # one optimizer step of the fast model, one thread, timed here and now
    steps: int  # the steps the demo pair trained before stopping (the longer of the two), or the cap
    cap: int  # the preset's steps: training never goes further
    overhead: float  # wall time over pure training time in the demo runs (evaluations, probes, checkpoints)

    @property
    def seconds(self) -> float:
        """The expected wall time: both runs train at once, one thread each."""
        return self.seconds_per_step * self.steps * self.overhead

    @property
    def at_most_seconds(self) -> float:
        return self.seconds_per_step * self.cap * self.overhead

    def describe(self, measured: bool) -> str:
        """One line for Home; `measured`: the steps come from the demo pair (else the cap)."""
        how = f"the {self.cap:,}-step cap"
        if measured:
            took = "ran to the cap" if self.steps >= self.cap else "took to stop rising"
            extra = f"{self.overhead - 1:.0%} for its evaluations"
            how = f"the {self.steps:,} steps the demo pair {took}, plus {extra}"
        step_ms = self.seconds_per_step * 1000
        return (
            f"On this machine, now: about **{format_duration(self.seconds)}** ({step_ms:.0f} ms a step, "
            f"timed just now, times {how}); at most {format_duration(self.at_most_seconds)}."
        )


@dataclass(frozen=True)
class TimingInputs:
    """What the timed steps need: the Figure 2 runs' preset, their step cap, and the demo pair's
    vocabulary sizes (None: not known, the grammar's are estimated)."""

    preset: str
    cap: int
    src_vocab: int | None
    tgt_vocab: int | None


def timing_inputs(demo_pair: list[RunInfo]) -> TimingInputs:
    preset = figure2_options(reverse=True).preset
    cap = int(get_preset(preset).train["steps"])
    if not demo_pair:
        return TimingInputs(preset, cap, None, None)
    model = RunConfig.read(demo_pair[0].path).model
    return TimingInputs(preset, cap, model.src_vocab, model.tgt_vocab)


def eval_overhead(train_records: list[dict]) -> float:
    """A run's wall time per step over its pure training time per step (the median between two
    consecutive train records, which is how long steps take when nothing else runs); at least 1."""
    points = [(r["step"], r["time"]) for r in train_records if "time" in r and "step" in r]
    if len(points) < 3:
        return 1.0
    gaps = [(t2 - t1) / (s2 - s1) for (s1, t1), (s2, t2) in itertools.pairwise(points) if s2 > s1]
    overall = (points[-1][1] - points[0][1]) / (points[-1][0] - points[0][0])
    return max(1.0, overall / statistics.median(gaps))


def figure2_estimate(seconds_per_step: float, demo_pair: list[RunInfo], cap: int) -> Figure2Estimate:
    """The estimate from a timed step and the demo pair's own record (without it: the cap, no overhead)."""
    if not demo_pair:
        return Figure2Estimate(seconds_per_step, cap, cap, 1.0)
    steps = min(cap, max(r.step for r in demo_pair))
    overhead = max(eval_overhead(read_metrics(r.path, "train")) for r in demo_pair)
    return Figure2Estimate(seconds_per_step, steps, cap, overhead)
