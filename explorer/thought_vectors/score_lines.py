"""A suite's probe score on the Thought Vectors page, in three lines a reader can take in: the
model's margin, the same margin for each surface baseline, and whether it counts as evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.render.probe_margins import series_label

if TYPE_CHECKING:  # torch: the page's first paint does without it
    from core.analysis.probe_report import ProbeReport

EVIDENCE_RULE = "evidence of meaning only when it beats all three"


def score_line(score: ProbeReport) -> str:
    """Margin [interval], win rate, the columns compared, what the interval resamples."""
    m = score.model
    note = f" ({m.note})" if m.note else ""
    return (
        f"margin **{m.margin:+.3f}** [{m.margin_low:+.3f}, {m.margin_high:+.3f}] · "
        f"cos(anchor, {m.positive}) {m.cos_positive:.3f} vs "
        f"cos(anchor, {m.negative}) {m.cos_negative:.3f} · "
        f"{m.positive} closer in {m.win_rate:.0%} of {m.n} families · "
        f"interval resamples {m.design.describe()}{note}"
    )


def baseline_line(score: ProbeReport) -> str:
    """The same margin for each surface baseline, and the model's lead over the best one."""
    baselines = " · ".join(f"{series_label(name)} {b.margin:+.3f}" for name, b in score.baselines.items())
    lead = score.lead
    return (
        f"Baselines, same margin: {baselines} · lead over the best ({series_label(lead.over)}): "
        f"**{lead.margin:+.3f}** [{lead.margin_low:+.3f}, {lead.margin_high:+.3f}]"
    )


def evidence_line(score: ProbeReport) -> str:
    """The plain sentence: a margin counts only when its lead over every baseline is above zero."""
    verdict = "this margin does" if score.beats_baselines else "this margin does not"
    return f"{EVIDENCE_RULE.capitalize()} (each lead's interval above zero): {verdict}."
