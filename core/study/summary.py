"""The report's summary: sentences computed from its numbers and tests, never a fixed text.

A difference is claimed only where its adjusted test holds (core.study.multiplicity): Holm for
the primary comparisons declared in study.json, Benjamini-Hochberg for the exploratory rest,
which are labelled "exploratory". A primary comparison that does not hold reads "inconclusive",
with the seeds a paired t-test would need (core.study.power). A sign alone is never read as
"helps" or "hurts"; a count of seeds is a description, never a claim.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.study.arms import BASELINE
from core.study.cka_seeds import CkaSection
from core.study.learning import ThresholdSteps
from core.study.metrics import NAMES
from core.study.multiplicity import Test, find
from core.study.paired_bleu import PairedBleu
from core.study.primary import PrimaryComparison
from core.study.report_file import Report
from core.study.scores import Scores
from core.study.target_positions import EarlyVsLate

PHRASE = {"reversed": "reversal", "attention": "reversal + attention"}  # what an arm changes, as a subject


def number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.1f}"


def signed(value: float | None) -> str:
    return "n/a" if value is None else ("+" if value > 0 else "") + number(value)


def interval(low: float | None, high: float | None) -> str:
    return f"[{signed(low)}, {signed(high)}]"


def p_text(test: Test | None) -> str:
    """ "p = 0.043, Holm-adjusted 0.086"."""
    if test is None or test.p is None:
        return "no test"
    method = "Holm" if test.family == "primary" else "BH"
    return f"p = {test.p:.2g}, {method}-adjusted {test.adjusted:.2g}"


def primary_sentence(scores: Scores, row: PrimaryComparison) -> str:
    """One declared primary comparison: a claim where its Holm-adjusted test holds, else
    "inconclusive" with the seeds that would be needed."""
    split, metric, arm = row.compared
    section = scores.metric(split, metric)
    base, this = section.arms[BASELINE], section.arms[arm]
    what, subject = f"{split} {NAMES[metric]}", PHRASE.get(arm, arm)
    if row.n == 0:
        return f"{subject}: no seed with both {arm} and {BASELINE} finished: nothing to compare on {what}"
    change = f"{number(base.mean)} -> {number(this.mean)}"
    if row.n == 1:
        return f"{subject}: {what} {change} with one seed: no test, so no claim (run 3 or more seeds)"
    figure = f"difference {signed(row.mean)}, 95% interval {interval(row.low, row.high)} over {row.n} seeds"
    test = row.test
    if test.holds:
        verb = "lowered" if row.mean < 0 else "raised"
        return f"{subject} {verb} {what}: {change} ({figure}; {p_text(test)}; primary)"
    return f"{subject} vs {BASELINE}, {what}: {row.verdict} ({figure}; {p_text(test)}; primary)"


def position_sentence(found: EarlyVsLate | None, arm: str, tests: Sequence[Test]) -> str | None:
    """Does the arm's change of the loss concentrate on the first target words (the paper's
    explanation of reversal)? Exploratory: said only as far as its BH-adjusted tests hold."""
    if not found or found.contrast.mean is None:
        return None
    k, early, late, contrast = found.positions, found.early, found.late, found.contrast
    text = (
        f"exploratory: {PHRASE.get(arm, arm)} changed the test loss of target positions 1-{k} by "
        f"{signed(early.mean)} nats and of the later positions by {signed(late.mean)}"
    )
    if contrast.low is None:
        return text + " (one seed: no test)"
    early_test = find(tests, f"position.early:{arm}-{BASELINE}")
    contrast_test = find(tests, f"position.contrast:{arm}-{BASELINE}")
    span = (
        f"(contrast {signed(contrast.mean)} {interval(contrast.low, contrast.high)}; {p_text(contrast_test)})"
    )
    if not (contrast_test and contrast_test.holds):
        return f"{text}: no difference between the first target words and the later ones shown {span}"
    first = "the first target words"
    if early_test and early_test.holds:
        effect = "helps" if early.mean < 0 else "hurts"
        where = "more than" if (contrast.mean < 0) == (early.mean < 0) else "less than"
        agrees = effect == "helps" and where == "more than"
        reading = (
            "as the paper's explanation predicts" if agrees else "not what the paper's explanation predicts"
        )
        return f"{text}: it {effect} {first} {where} the later ones {span}, {reading}"
    side = "gain more" if contrast.mean < 0 else "gain less"  # a loss change below 0 is a gain
    return (
        f"{text}: {first} {side} than the later ones {span}, but their own change is not shown to differ "
        "from 0"
    )


def cka_sentence(cka: CkaSection, arm: str, tests: Sequence[Test]) -> str | None:
    """Top layer's h: between-arm CKA across seeds against two seeds of one arm (exploratory)."""
    rows = [r for r in cka.arms if (r.a, r.b, r.state) == (BASELINE, arm, "h")]
    if not rows:
        return None
    row = max(rows, key=lambda r: r.layer)
    between, within, diff = row.between, row.within, row.difference
    text = (
        f"exploratory: CKA of the top layer's h across seeds, {BASELINE} vs {arm}: {number(between.plain)} "
        f"(debiased {number(between.debiased)}); two seeds of one arm: {number(within.plain)} "
        f"(debiased {number(within.debiased)}); unrelated vectors read {number(row.floor)}"
    )
    test = find(tests, f"cka.h.{row.layer}:{BASELINE}|{arm}")
    if test is None:
        return text + " (fewer than 2 seeds: no test)"
    figure = f"difference {signed(diff.plain)} {interval(diff.low, diff.high)}; permutation {p_text(test)}"
    if test.holds and diff.plain < 0:
        return f"{text}: the arms differ more than seeds do ({figure})"
    floor = 2 / row.assignments if row.assignments else None
    limit = f"; with {row.assignments} label assignments the smallest p is {number(floor)}" if floor else ""
    return f"{text}: not shown to differ more than seeds do ({figure}{limit})"


def probe_sentence(tests: Sequence[Test]) -> str | None:
    """Which arms' probe margins beat every surface baseline over seeds (BH-adjusted)."""
    keys = [t for t in tests if t.key.startswith("probe.") and ".lead:" in t.key]
    if not keys:
        return None
    held = [t for t in keys if t.holds and (t.estimate or 0) > 0]
    if not held:
        count = f"{len(keys)} suite x kind x arm tests, Benjamini-Hochberg"
        return (
            "exploratory: no probe margin beats the best surface baseline over seeds after correction "
            f"({count})"
        )
    parts = [f"{t.what} ({signed(t.estimate)}, {p_text(t)})" for t in held]
    return "exploratory: beats the best surface baseline over seeds: " + "; ".join(parts)


def paired_bleu_sentence(paired: Sequence[PairedBleu], arm: str) -> str | None:
    """Test-set noise, seed by seed (sacrebleu's paired bootstrap): a description beside the
    interval over seeds, not a claim."""
    rows = [r for r in paired if r.arm == arm]
    if not rows:
        return None
    beyond = [r for r in rows if r.p is not None and r.p < 0.05]
    return (
        f"test-set resampling (sacrebleu paired bootstrap, per seed, unadjusted): {arm}'s BLEU difference "
        f"from {BASELINE} is beyond test-set noise (p < 0.05) in {len(beyond)} of {len(rows)} seeds; "
        "the variation between seeds is what the interval over seeds covers"
    )


def steps_sentence(section: ThresholdSteps) -> str | None:
    if section.threshold is None:
        return None
    parts = [f"{arm} {s.describe()}" for arm, s in section.arms.items()]
    return f"steps to dev BLEU {number(section.threshold)}: " + "; ".join(parts)


def layer_match_sentence(cka: CkaSection) -> str | None:
    checks = cka.layer_match
    if not checks:
        return None
    failed = [f"{c.arm} {c.state} seeds {c.seeds[0]},{c.seeds[1]}" for c in checks if not c.match]
    if not failed:
        matched = f"every pair of seeds matches layer for layer ({len(checks)} checks)"
        return f"CKA sanity check (Kornblith et al. 2019): {matched}"
    unmatched = f"{len(failed)} of {len(checks)} seed pairs do not match layer for layer"
    return f"CKA sanity check: {unmatched} ({'; '.join(failed)})"


def summarise(report: Report) -> list[str]:
    tests = report.tests
    lines = [primary_sentence(report.scores, row) for row in report.primary]
    for arm in report.arms:
        if arm == BASELINE:
            continue
        found = (
            paired_bleu_sentence(report.paired_bleu, arm),
            position_sentence(report.position_loss.early_vs_late.get(arm), arm, tests),
            cka_sentence(report.cka, arm, tests),
        )
        lines += [s for s in found if s]
    lines += [
        s
        for s in (
            probe_sentence(tests),
            steps_sentence(report.steps_to_bleu),
            layer_match_sentence(report.cka),
        )
        if s
    ]
    return lines
