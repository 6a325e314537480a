"""Probe margins over seeds: each arm's margin at the end, raw and centred (each run's from
core.study.measure), its lead over the best surface baseline (with the seeds whose own interval beat
every baseline, as a description, not a claim) and its difference from forward; the margins over
training as bands; exploratory tests of every lead and every difference."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.analysis.bootstrap import ResamplingSummary
from core.study.arms import BASELINE
from core.study.curves import SeedBand, seed_band
from core.study.measure import ProbeSummary
from core.study.multiplicity import EXPLORATORY, Test
from core.study.records import Runs, difference_test, per_seed
from core.study.stats import Difference, Estimate, estimate, paired_difference

KINDS = ("raw", "centred")  # probe margins on raw and on mean-centred vectors (measure.SuiteMargins)
NO_PROBE_RECORDS = "no probe records in metrics.jsonl: these runs were trained before probe logging"


@dataclass(frozen=True)
class ArmMargin:
    """One suite, arm and kind at the end of training, over seeds."""

    per_seed: tuple[float | None, ...]  # the margin in each seed (None: no run)
    margin: Estimate
    lead: Estimate  # the margin minus the best baseline's
    over: tuple[str, ...]  # the baselines that were the best one, in some seed
    beats_baselines: int  # seeds whose own interval beat every baseline
    baselines: Mapping[str, float | None]  # baseline -> its mean margin over seeds

    def to_dict(self) -> dict:
        margins = {
            "per_seed": list(self.per_seed),
            "margin": self.margin.to_dict(),
            "lead": self.lead.to_dict(),
        }
        return {
            **margins,
            "over": list(self.over),
            "beats_baselines": self.beats_baselines,
            "baselines": dict(self.baselines),
        }

    @classmethod
    def from_dict(cls, d: dict) -> ArmMargin:
        margin, lead = Estimate.from_dict(d["margin"]), Estimate.from_dict(d["lead"])
        return cls(
            tuple(d["per_seed"]), margin, lead, tuple(d["over"]), d["beats_baselines"], dict(d["baselines"])
        )


@dataclass(frozen=True)
class ProbeMargins:
    final: Mapping[str, Mapping[str, Mapping[str, ArmMargin]]]  # suite -> arm -> kind -> margin
    vs_forward: Mapping[str, Mapping[str, Mapping[str, Difference]]]  # suite -> arm -> kind ({} for forward)
    resampling: Mapping[str, ResamplingSummary | None]  # suite -> its intervals' resampling unit
    over_training: Mapping[str, Mapping[str, SeedBand]]  # suite -> arm -> margin over training
    over_training_note: str | None  # why there are no curves over training

    def to_dict(self) -> dict:
        final, vs_forward, over = self.final, self.vs_forward, self.over_training
        return {
            "final": {
                suite: {arm: {kind: m.to_dict() for kind, m in kinds.items()} for arm, kinds in arms.items()}
                for suite, arms in final.items()
            },
            "vs_forward": {
                suite: {arm: {kind: d.to_dict() for kind, d in kinds.items()} for arm, kinds in arms.items()}
                for suite, arms in vs_forward.items()
            },
            "resampling": {suite: None if r is None else r.to_dict() for suite, r in self.resampling.items()},
            "over_training": {
                suite: {arm: b.to_dict() for arm, b in arms.items()} for suite, arms in over.items()
            },
            "over_training_note": self.over_training_note,
        }

    @classmethod
    def from_dict(cls, d: dict) -> ProbeMargins:
        final = {
            suite: {
                arm: {kind: ArmMargin.from_dict(m) for kind, m in kinds.items()}
                for arm, kinds in arms.items()
            }
            for suite, arms in d["final"].items()
        }
        vs_forward = {
            suite: {
                arm: {kind: Difference.from_dict(v) for kind, v in kinds.items()}
                for arm, kinds in arms.items()
            }
            for suite, arms in d["vs_forward"].items()
        }
        resampling = {
            s: None if r is None else ResamplingSummary.from_dict(r) for s, r in d["resampling"].items()
        }
        over = {
            s: {arm: SeedBand.from_dict(b) for arm, b in arms.items()}
            for s, arms in d["over_training"].items()
        }
        return cls(final, vs_forward, resampling, over, d["over_training_note"])


def probes(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> tuple[ProbeMargins, list[Test]]:
    """The section and its exploratory tests: every lead, and every arm's difference from forward."""
    suites = list(dict.fromkeys(s for r in runs.values() for s in r.measure.probes))
    final, vs_forward, units, tests = {}, {}, {}, []
    for suite in suites:
        final[suite], vs_forward[suite] = {}, {}
        found = {arm: per_seed(runs, arm, seeds, lambda r, s=suite: r.measure.probes.get(s)) for arm in arms}
        first = next((f for values in found.values() for f in values if f), None)
        units[suite] = first.raw.resampling if first else None
        for arm in arms:
            final[suite][arm], vs_forward[suite][arm] = {}, {}
            for kind in KINDS:
                got = [None if f is None else getattr(f, kind) for f in found[arm]]
                final[suite][arm][kind] = margin = arm_margin(got)
                lead = margin.lead
                what = f"{suite} {kind} margin's lead over the best surface baseline, {arm}"
                tests.append(
                    Test(f"probe.{suite}.{kind}.lead:{arm}", EXPLORATORY, lead.mean, lead.p, what=what)
                )
                if arm == BASELINE:
                    continue
                base = [None if f is None else getattr(f, kind).margin for f in found[BASELINE]]
                d = paired_difference(margin.per_seed, base, "higher")
                vs_forward[suite][arm][kind] = d
                what = f"{suite} {kind} margin, {arm} - {BASELINE}"
                tests.append(difference_test(f"probe.{suite}.{kind}:{arm}-{BASELINE}", EXPLORATORY, d, what))
    logged = sorted({suite for r in runs.values() for suite in r.probe_curves})
    over = {
        suite: {
            arm: seed_band(
                [c for c in per_seed(runs, arm, seeds, lambda r, s=suite: r.probe_curves.get(s)) if c]
            )
            for arm in arms
        }
        for suite in logged
    }
    note = None if logged else NO_PROBE_RECORDS
    return ProbeMargins(final, vs_forward, units, over, note), tests


def arm_margin(got: Sequence[ProbeSummary | None]) -> ArmMargin:
    """One suite and kind of an arm: each seed's run's summary (None: no run) -> ArmMargin."""
    margin = tuple(None if g is None else g.margin for g in got)
    lead = estimate([None if g is None else g.lead.margin for g in got])
    over = tuple(sorted({g.lead.over for g in got if g}))
    beats = sum(bool(g and g.beats_baselines) for g in got)
    return ArmMargin(margin, estimate(margin), lead, over, beats, _baseline_means(got))


def _baseline_means(got: Sequence[ProbeSummary | None]) -> dict[str, float | None]:
    """{baseline: mean margin over the seeds} (the surface baselines are the same in every seed;
    the untrained encoder is each seed's own)."""
    names = list(dict.fromkeys(name for g in got if g for name in g.baselines))
    return {name: estimate([g.baselines.get(name) if g else None for g in got]).mean for name in names}
