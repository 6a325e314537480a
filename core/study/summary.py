"""The report's summary: sentences computed from its numbers, never a fixed text.

A claim is made only where a 95% interval over seeds excludes zero; otherwise the sentence
says that no difference was detected at this budget, and with one seed that no claim is made.
"""

from __future__ import annotations

from core.study.arms import BASELINE

PHRASE = {"reversed": "reversal", "attention": "reversal + attention"}  # what an arm changes, as a subject
NAMES = {"ppl": "perplexity", "bleu": "BLEU", "chrf": "chrF"}


def number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.1f}"


def interval(low: float | None, high: float | None) -> str:
    return f"[{number(low)}, {number(high)}]"


def metric_sentence(report: dict, split: str, metric: str, arm: str) -> str:
    section = report["scores"][split][metric]
    diff, base, this = section["vs_forward"][arm], section["arms"][BASELINE], section["arms"][arm]
    what, subject = f"{split} {NAMES[metric]}", PHRASE.get(arm, arm)
    if diff["n"] == 0:
        return f"{subject}: no seed with both {arm} and {BASELINE} finished: nothing to compare on {what}"
    change = f"{number(base['mean'])} -> {number(this['mean'])}"
    if diff["n"] == 1:
        return f"{subject}: {what} {change} with one seed: no interval, so no claim (run 3 or more seeds)"
    if diff["low"] is not None and (diff["low"] > 0 or diff["high"] < 0):
        verb = "lowered" if diff["mean"] < 0 else "raised"
        helped = (diff["mean"] < 0) == (diff.get("better", "lower") == "lower")
        seeds = (
            diff["wins"] if helped else diff.get("losses", diff["n"] - diff["wins"])
        )  # seeds it went this way
        return (
            f"{subject} {verb} {what} in {seeds}/{diff['n']} seeds: {change} "
            f"(difference {number(diff['mean'])}, 95% interval {interval(diff['low'], diff['high'])})"
        )
    return (
        f"{subject} vs {BASELINE}, {what}: no difference detected at this budget (interval includes 0: "
        f"{number(diff['mean'])} {interval(diff['low'], diff['high'])}, {diff['wins']}/{diff['n']} seeds better)"
    )


def position_sentence(report: dict, arm: str) -> str | None:
    """Does the arm's loss gain concentrate on the first target words (the paper's explanation)?"""
    found = report["position_loss"].get("early_vs_late", {}).get(arm)
    if not found or found["contrast"]["mean"] is None:
        return None
    k, early, late, contrast = found["positions"], found["early"], found["late"], found["contrast"]
    text = (
        f"{PHRASE.get(arm, arm)} changed the test loss of target positions 1-{k} by {number(early['mean'])} "
        f"nats and of the later positions by {number(late['mean'])}"
    )
    if contrast["low"] is None:
        return text + " (one seed: no claim about where it helps)"
    span = (
        f"(difference {number(contrast['mean'])}, 95% interval {interval(contrast['low'], contrast['high'])})"
    )
    if contrast["high"] < 0:  # the first words' change is below the later ones'
        if early["mean"] < 0:
            return f"{text}: it helps the first target words more {span}, as the paper's explanation predicts"
        return f"{text}: the first target words fare better than the later ones {span}, but their loss did not fall"
    if contrast["low"] > 0:
        if early["mean"] > 0:
            return (f"{text}: it hurts the first target words more than the later ones {span}, "
                    "the opposite of the paper's explanation")  # fmt: skip
        return f"{text}: it helps the first target words less than the later ones {span}"
    return f"{text}: no difference between the first target words and the later ones detected {span}"


def cka_sentence(report: dict, arm: str) -> str | None:
    """Top-layer h: CKA between forward and the arm, against two seeds of forward."""
    cka = report.get("cka") or {}
    top = max((row["layer"] for row in cka.get("between_arms", [])), default=None)
    if top is None:
        return None
    between = next((r for r in cka["between_arms"] if r["a"] == BASELINE and r["b"] == arm
                    and r["state"] == "h" and r["layer"] == top), None)  # fmt: skip
    seeds = next((r for r in cka["seed_baseline"] if r["arm"] == BASELINE and r["state"] == "h"
                  and r["layer"] == top), None)  # fmt: skip
    if between is None or between["mean"] is None:
        return None
    text = f"CKA of the top layer's h, {BASELINE} vs {arm}: {number(between['mean'])}"
    if seeds is None or seeds["mean"] is None:
        return text + " (one seed: no seed baseline to read it against)"
    text += f"; two seeds of {BASELINE}: {number(seeds['mean'])}"
    if between["high"] is not None and seeds["low"] is not None and between["high"] < seeds["low"]:
        return text + ": the arms differ more than seeds do"
    return text + ": not clearly more different than two seeds"


def probe_sentence(report: dict, arm: str) -> str | None:
    """In how many seeds the arm's margin beat every surface baseline, suite by suite."""
    final = report["probes"]["final"]
    counts = [
        f"{suite} {final[suite][arm]['beats_baselines']}/{final[suite][arm]['raw']['n']}" for suite in final
    ]
    if not counts:
        return None
    return f"{arm}: the probe margin beats every surface baseline in {', '.join(counts)} seeds"


def layer_match_sentence(report: dict) -> str | None:
    checks = (report.get("cka") or {}).get("layer_match", [])
    if not checks:
        return None
    failed = [
        f"{c['arm']} {c['state']} seeds {c['seeds'][0]},{c['seeds'][1]}" for c in checks if not c["match"]
    ]
    if not failed:
        return f"CKA sanity check (Kornblith et al. 2019): every pair of seeds matches layer for layer ({len(checks)} checks)"
    return f"CKA sanity check: {len(failed)} of {len(checks)} seed pairs do not match layer for layer ({'; '.join(failed)})"


def summarise(report: dict) -> list[str]:
    lines = []
    for arm in report["arms"]:
        if arm == BASELINE:
            continue
        lines += [metric_sentence(report, "test", m, arm) for m in ("ppl", "bleu")]
        lines += [s for s in (position_sentence(report, arm), cka_sentence(report, arm)) if s]
    lines += [s for s in (probe_sentence(report, arm) for arm in report["arms"]) if s]
    check = layer_match_sentence(report)
    return lines + ([check] if check else [])
