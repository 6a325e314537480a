"""From per-run numbers to per-arm sections of the report: means over seeds with intervals,
differences against forward paired by seed, bands over seeds for every curve.

`runs` maps (arm, seed) -> {"measure": core.study.measure.measure_run's dict, "curves":
core.study.curves.run_curves's, "probe_curves": probe_curves's}; a run that is not finished
is absent, and its seed is left out of that arm's numbers (and of the pairs it would join).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.study.arms import BASELINE
from core.study.curves import default_threshold, seed_band, steps_to_threshold
from core.study.stats import band, estimate, paired_difference

METRICS = {"ppl": "lower", "bleu": "higher", "chrf": "higher"}  # and which way is better
EARLY = 3  # "the first target words" of the paper's explanation: positions 1..3 against the rest
CURVES = ("train_loss", "dev_ppl", "dev_bleu", "dev_chrf")
Runs = dict[tuple[str, int], dict]


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


def scores(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> dict:
    """{split: {metric: {"better", "arms": {arm: estimate}, "vs_forward": {arm: paired difference}}}}."""
    out = {}
    for split in ("dev", "test"):
        out[split] = {}
        for metric, better in METRICS.items():
            values = {arm: per_seed(runs, arm, seeds, "measure", split, metric) for arm in arms}
            out[split][metric] = {
                "better": better,
                "arms": {arm: estimate(v).to_dict() for arm, v in values.items()},
                "vs_forward": {
                    arm: paired_difference(values[arm], values[BASELINE], better).to_dict()
                    for arm in arms
                    if arm != BASELINE
                },
            }
    return out


def curves(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> dict:
    """{curve name: {arm: seed band}} for train_loss, dev_ppl, dev_bleu, dev_chrf."""
    return {
        name: {arm: seed_band([c for c in per_seed(runs, arm, seeds, "curves", name) if c]) for arm in arms}
        for name in CURVES
    }


def threshold_steps(runs: Runs, arms: Sequence[str], seeds: Sequence[int], threshold: float | None) -> dict:
    """The steps each arm needs to reach a dev BLEU threshold (default: 90% of the weakest arm's
    final mean dev BLEU), seed by seed, and their mean over the seeds that reached it."""
    bleu = {arm: per_seed(runs, arm, seeds, "curves", "dev_bleu") for arm in arms}
    source = "given"
    if threshold is None:
        finals = [estimate([list(c.values())[-1] if c else None for c in bleu[arm]]).mean for arm in arms]
        threshold, source = default_threshold(finals), "90% of the lowest arm's final mean dev BLEU"
    out = {"threshold": threshold, "source": source, "arms": {}}
    for arm in arms:
        steps = [None if not c or threshold is None else steps_to_threshold(c, threshold) for c in bleu[arm]]
        out["arms"][arm] = {
            "per_seed": steps,
            "reached": sum(s is not None for s in steps),
            "runs": sum((arm, s) in runs for s in seeds),
            **estimate(steps).to_dict(),
        }
    return out


def by_length(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> dict:
    """Test BLEU per source-length bucket (Figure 3): {"buckets", "n", "arms": {arm: band}}.

    Every run is scored on the same test sentences, so the buckets are the same for all."""
    tables = [r["measure"]["test"]["by_length"] for r in runs.values() if r["measure"].get("test")]
    buckets = [row["bucket"] for row in tables[0]] if tables else []
    rows = {}
    for arm in arms:
        found = per_seed(runs, arm, seeds, "measure", "test", "by_length")
        rows[arm] = [
            [{r["bucket"]: r["bleu"] for r in table}.get(b) for b in buckets] for table in found if table
        ]
    return {
        "buckets": buckets,
        "n": [row["n"] for row in tables[0]] if tables else [],
        "arms": {arm: band(rows[arm]) for arm in arms},
    }


def position_loss(runs: Runs, arms: Sequence[str], seeds: Sequence[int]) -> dict:
    """Test loss at target positions 1..P per arm, and each arm minus forward, position by position."""
    loss = {arm: per_seed(runs, arm, seeds, "measure", "position_loss", "loss") for arm in arms}
    width = max((len(v) for values in loss.values() for v in values if v), default=0)
    out = {"positions": list(range(1, width + 1)), "arms": {}, "vs_forward": {}, "early_vs_late": {}}
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
        out["early_vs_late"][arm] = early_vs_late(loss[arm], loss[BASELINE])
    return out


def _mean(values: list) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def early_vs_late(arm: list, baseline: list) -> dict:
    """Per seed: the arm's loss change (arm - forward) at positions 1..EARLY, at the later ones,
    and their contrast early - late; each a mean over seeds with its interval. A contrast below
    0 says the arm helps the first target words more than the rest (Sutskever et al. 2014, 3.3)."""
    early, late = [], []
    for a, b in zip(arm, baseline):
        if a is None or b is None:
            continue
        diff = [x - y if x is not None and y is not None else None for x, y in zip(a, b)]
        early.append(_mean(diff[:EARLY]))
        late.append(_mean(diff[EARLY:]))
    contrast = [e - v for e, v in zip(early, late) if e is not None and v is not None]
    return {"positions": EARLY, "early": estimate(early).to_dict(), "late": estimate(late).to_dict(),
            "contrast": estimate(contrast).to_dict()}  # fmt: skip


def probes(runs: Runs, arms: Sequence[str], seeds: Sequence[int], suites: Sequence[str]) -> dict:
    """Probe margins at the end (raw, centred and the lead over the best surface baseline, a mean
    over seeds; the seeds whose margin beat every baseline) and over training (bands)."""
    final = {}
    for suite in suites:
        final[suite] = {}
        for arm in arms:
            found = per_seed(runs, arm, seeds, "measure", "probes", suite)
            final[suite][arm] = {
                kind: estimate([None if f is None else f[kind]["margin"] for f in found]).to_dict()
                for kind in ("raw", "centred", "lead")
            }
            final[suite][arm]["beats_baselines"] = sum(bool(f and f["beats_baselines"]) for f in found)
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
    return {"final": final, "over_training": over, "over_training_note": note}
