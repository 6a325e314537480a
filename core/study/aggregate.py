"""From per-run numbers to per-arm sections of the report: means over seeds with intervals and
t-tests, differences against forward paired by seed, bands over seeds for every curve, and the
tests each section makes (core.study.multiplicity: primary or exploratory).

`runs` maps (arm, seed) -> {"measure": core.study.measure.measure_run's dict, "curves":
core.study.curves.run_curves's, "probe_curves": probe_curves's}; a run that is not finished
is absent, and its seed is left out of that arm's numbers (and of the pairs it would join).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.study.arms import BASELINE
from core.study.curves import default_threshold, seed_band, steps_to_reach
from core.study.metrics import METRICS, NAMES, SPLITS, comparison_key
from core.study.multiplicity import EXPLORATORY, PRIMARY, Test
from core.study.stats import Difference, band, estimate, paired_difference

EARLY = 3  # "the first target words" of the paper's explanation: positions 1..3 against the rest
CURVES = ("train_loss", "dev_ppl", "dev_bleu", "dev_chrf")
KINDS = ("raw", "centred")  # probe margins on raw and on mean-centred vectors
Runs = dict[tuple[str, int], dict]


def difference_test(key: str, family: str, difference: Difference, what: str) -> Test:
    return Test(key, family, difference.estimate.mean, difference.estimate.p, what=what)


def per_seed(runs: Runs, arm: str, seeds: Sequence[int], *path) -> list:
    """runs[arm, seed][path[0]][path[1]]... for each seed; None where the run or a key is missing."""
    out = []
    for seed in seeds:
        value = runs.get((arm, seed))
        for key in path:
            try:
                value = None if value is None else value[key]
            except (KeyError, TypeError, IndexError):
                value = None
        out.append(value)
    return out


def scores(
    runs: Runs, arms: Sequence[str], seeds: Sequence[int], primary: Sequence[str]
) -> tuple[dict, list[Test]]:
    """{split: {metric: {"better", "per_seed": {arm: [value per seed]}, "arms": {arm: estimate},
    "vs_forward": {arm: paired difference}}}}, and a test per arm, split and metric: primary where
    study.json declared "split.metric" primary, exploratory otherwise."""
    out, tests = {}, []
    for split in SPLITS:
        out[split] = {}
        for metric, better in METRICS.items():
            values = {arm: per_seed(runs, arm, seeds, "measure", split, metric) for arm in arms}
            differences = {
                arm: paired_difference(values[arm], values[BASELINE], better)
                for arm in arms
                if arm != BASELINE
            }
            out[split][metric] = {
                "better": better,
                "per_seed": values,
                "arms": {arm: estimate(v).to_dict() for arm, v in values.items()},
                "vs_forward": {arm: d.to_dict() for arm, d in differences.items()},
            }
            family = PRIMARY if f"{split}.{metric}" in primary else EXPLORATORY
            for arm, d in differences.items():
                what = f"{split} {NAMES[metric]}, {arm} - {BASELINE}"
                tests.append(difference_test(comparison_key(split, metric, arm, BASELINE), family, d, what))
    return out, tests


def curves(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> dict:
    """{curve name: {arm: seed band}} for train_loss, dev_ppl, dev_bleu, dev_chrf."""
    return {
        name: {arm: seed_band([c for c in per_seed(runs, arm, seeds, "curves", name) if c]) for arm in arms}
        for name in CURVES
    }


def threshold_steps(runs: Runs, arms: Sequence[str], seeds: Sequence[int], threshold: float | None) -> dict:
    """The steps each arm needs to reach a dev BLEU threshold (default: 90% of the weakest arm's
    final mean dev BLEU), seed by seed, with the seeds that never reached it kept (censored) and a
    median over all seeds (core.study.curves.StepsToThreshold)."""
    bleu = {arm: per_seed(runs, arm, seeds, "curves", "dev_bleu") for arm in arms}
    source = "given"
    if threshold is None:
        finals = [estimate([list(c.values())[-1] if c else None for c in bleu[arm]]).mean for arm in arms]
        threshold, source = default_threshold(finals), "90% of the lowest arm's final mean dev BLEU"
    found = {arm: [c for seed, c in zip(seeds, bleu[arm]) if (arm, seed) in runs] for arm in arms}
    steps = {arm: steps_to_reach(arm, found[arm], threshold).to_dict() for arm in arms}
    return {"threshold": threshold, "source": source, "arms": steps}


def by_length(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> tuple[dict, list[Test]]:
    """Test BLEU per source-length bucket (Figure 3): {"buckets", "n", "arms": {arm: band},
    "vs_forward": {arm: [paired difference per bucket]}}, and an exploratory test per arm and
    bucket (does reversal help more on longer sentences? Sutskever et al. 2014, 3.7).

    Every run is scored on the same test sentences, so the buckets are the same for all."""
    tables = [r["measure"]["test"]["by_length"] for r in runs.values() if r["measure"].get("test")]
    buckets = [row["bucket"] for row in tables[0]] if tables else []
    rows = {}
    for arm in arms:
        found = per_seed(runs, arm, seeds, "measure", "test", "by_length")
        rows[arm] = [
            None if table is None else [{r["bucket"]: r["bleu"] for r in table}.get(b) for b in buckets]
            for table in found
        ]
    vs_forward, tests = {}, []
    for arm in arms:
        if arm == BASELINE:
            continue
        vs_forward[arm] = []
        for i, bucket in enumerate(buckets):
            a, b = ([None if r is None else r[i] for r in rows[name]] for name in (arm, BASELINE))
            d = paired_difference(a, b, "higher")
            vs_forward[arm].append(d.to_dict())
            what = f"test BLEU of sources of {bucket} words, {arm} - {BASELINE}"
            tests.append(difference_test(f"by_length.{bucket}:{arm}-{BASELINE}", EXPLORATORY, d, what))
    section = {
        "buckets": buckets,
        "n": [row["n"] for row in tables[0]] if tables else [],
        "arms": {arm: band([r for r in rows[arm] if r is not None]) for arm in arms},
        "vs_forward": vs_forward,
    }
    return section, tests


def position_loss(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> tuple[dict, list[Test]]:
    """Test loss at target positions 1..P per arm, each arm minus forward position by position, and
    the early-against-late contrast with its exploratory tests."""
    loss = {arm: per_seed(runs, arm, seeds, "measure", "position_loss", "loss") for arm in arms}
    width = max((len(v) for values in loss.values() for v in values if v), default=0)
    out = {"positions": list(range(1, width + 1)), "arms": {}, "vs_forward": {}, "early_vs_late": {}}
    tests = []
    for arm in arms:
        out["arms"][arm] = band([v for v in loss[arm] if v is not None])
        if arm == BASELINE:
            continue
        at = [[None if v is None else v[p] for v in loss[arm]] for p in range(width)]
        base = [[None if v is None else v[p] for v in loss[BASELINE]] for p in range(width)]
        diffs = [paired_difference(a, b, "lower") for a, b in zip(at, base)]
        out["vs_forward"][arm] = {
            "mean": [d.estimate.mean for d in diffs],
            "low": [d.estimate.low for d in diffs],
            "high": [d.estimate.high for d in diffs],
            "wins": [d.wins for d in diffs],
            "n": [d.estimate.n for d in diffs],
        }
        section = early_vs_late(loss[arm], loss[BASELINE])
        out["early_vs_late"][arm] = section
        for part, what in (
            ("early", f"positions 1-{EARLY}"),
            ("contrast", f"positions 1-{EARLY} against later"),
        ):
            e = section[part]
            key, text = f"position.{part}:{arm}-{BASELINE}", f"test loss change at {what}, {arm} - {BASELINE}"
            tests.append(Test(key, EXPLORATORY, e["mean"], e["p"], what=text))
    return out, tests


def _mean(values: list) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def early_vs_late(arm: list, baseline: list) -> dict:
    """Per seed: the arm's loss change (arm - forward) at positions 1..EARLY, at the later ones,
    and their contrast early - late; each a mean over seeds with its interval and t-test. A
    contrast below 0 says the arm helps the first target words more than the rest (Sutskever et
    al. 2014, 3.3)."""
    early, late = [], []
    for a, b in zip(arm, baseline):
        if a is None or b is None:
            continue
        diff = [x - y if x is not None and y is not None else None for x, y in zip(a, b)]
        early.append(_mean(diff[:EARLY]))
        late.append(_mean(diff[EARLY:]))
    contrast = [e - v for e, v in zip(early, late) if e is not None and v is not None]
    parts = {"early": estimate(early), "late": estimate(late), "contrast": estimate(contrast)}
    return {"positions": EARLY, **{name: e.to_dict() for name, e in parts.items()}}


def probes(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> tuple[dict, list[Test]]:
    """Probe margins at the end, raw and centred, over seeds: each arm's margin, its lead over the
    best baseline (with the seeds whose own interval beat every baseline, as a description, not a
    claim) and its difference from forward; probe margins over training (bands); exploratory
    tests of every lead and every difference."""
    suites = list(dict.fromkeys(s for r in runs.values() for s in r["measure"].get("probes", {})))
    final, vs_forward, units, tests = {}, {}, {}, []
    for suite in suites:
        final[suite], vs_forward[suite] = {}, {}
        found = {arm: per_seed(runs, arm, seeds, "measure", "probes", suite) for arm in arms}
        first = next((f for values in found.values() for f in values if f), None)
        units[suite] = first["raw"]["resampling"] if first else None
        for arm in arms:
            final[suite][arm], vs_forward[suite][arm] = {}, {}
            for kind in KINDS:
                got = [None if f is None else f[kind] for f in found[arm]]
                margin = [None if g is None else g["margin"] for g in got]
                lead = estimate([None if g is None else g["lead"]["margin"] for g in got])
                final[suite][arm][kind] = {
                    "per_seed": margin,
                    "margin": estimate(margin).to_dict(),
                    "lead": lead.to_dict(),
                    "over": sorted({g["lead"]["over"] for g in got if g}),
                    "beats_baselines": sum(bool(g and g["beats_baselines"]) for g in got),
                    "baselines": _baseline_means(got),
                }
                what = f"{suite} {kind} margin's lead over the best surface baseline, {arm}"
                tests.append(
                    Test(f"probe.{suite}.{kind}.lead:{arm}", EXPLORATORY, lead.mean, lead.p, what=what)
                )
                if arm == BASELINE:
                    continue
                base = [None if f is None else f[kind]["margin"] for f in found[BASELINE]]
                d = paired_difference(margin, base, "higher")
                vs_forward[suite][arm][kind] = d.to_dict()
                what = f"{suite} {kind} margin, {arm} - {BASELINE}"
                tests.append(difference_test(f"probe.{suite}.{kind}:{arm}-{BASELINE}", EXPLORATORY, d, what))
    logged = sorted({suite for r in runs.values() for suite in r.get("probe_curves", {})})
    over = {
        suite: {
            arm: seed_band([c for c in per_seed(runs, arm, seeds, "probe_curves", suite) if c])
            for arm in arms
        }
        for suite in logged
    }
    note = (
        None if logged else "no probe records in metrics.jsonl: these runs were trained before probe logging"
    )
    section = {"final": final, "vs_forward": vs_forward, "resampling": units, "over_training": over}
    return {**section, "over_training_note": note}, tests


def _baseline_means(got: Sequence[dict | None]) -> dict:
    """{baseline: mean margin over the seeds} (the surface baselines are the same in every seed;
    the untrained encoder is each seed's own)."""
    names = list(dict.fromkeys(name for g in got if g for name in g["baselines"]))
    return {name: estimate([g["baselines"].get(name) if g else None for g in got]).mean for name in names}
