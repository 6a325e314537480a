"""The study report's figures of scores: per arm, their differences, learning curves, steps to a
threshold, BLEU by source length and loss by target position, from a report's sections
(core.study.report_file.Report).

Intervals are 95% t-intervals over seeds; every figure carries the study's provenance as a footnote.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.render.lines import Line, add_line
from core.render.style import OTHER, arm_colour, estimate_bars, finish, footnote, point_traces
from core.study.arms import BASELINE
from core.study.metrics import METRICS, NAMES
from core.study.report_file import Report

CURVES = {"train_loss": "training loss", "dev_ppl": "dev perplexity", "dev_bleu": "dev BLEU (greedy)"}


def scores_figure(report: Report, split: str) -> go.Figure:
    arms = report.arms
    fig = make_subplots(rows=1, cols=len(METRICS), subplot_titles=[f"{split} {NAMES[m]}" for m in METRICS])
    for col, metric in enumerate(METRICS, start=1):
        point_traces(fig, arms, report.scores.metric(split, metric).arms, NAMES[metric], col)
    title = f"{split.capitalize()} scores per arm: mean over seeds with its 95% interval, each seed a dot"
    return finish(fig, title, footnote(report))


def differences_figure(report: Report, split: str = "test") -> go.Figure:
    section, others = report.scores.splits[split], [a for a in report.arms if a != BASELINE]
    titles = [f"{NAMES[m]} ({section[m].better} is better)" for m in METRICS]
    fig = make_subplots(rows=1, cols=len(METRICS), subplot_titles=titles)
    for col, metric in enumerate(METRICS, start=1):
        differences = {arm: d.estimate for arm, d in section[metric].vs_forward.items()}
        point_traces(fig, others, differences, f"- {BASELINE}", col)
        fig.add_hline(y=0, line={"color": OTHER, "width": 1}, row=1, col=col)
    title = (
        f"Paired {split} differences against {BASELINE}, seed by seed (the tests, adjusted, are in the "
        "tables)"
    )
    return finish(fig, title, footnote(report))


def curves_figure(report: Report) -> go.Figure:
    fig = make_subplots(rows=1, cols=len(CURVES), subplot_titles=list(CURVES.values()))
    for col, key in enumerate(CURVES, start=1):
        for arm in report.arms:
            seeds = report.curves.curves[key][arm]
            add_line(fig, Line.of_band(arm, arm_colour(arm), seeds.steps, seeds.band), 1, col, col == 1)
        fig.update_xaxes(title_text="step", row=1, col=col)
    fig.update_yaxes(type="log", row=1, col=2)
    return finish(fig, "Learning curves: mean over seeds with 95% bands", footnote(report))


def threshold_figure(report: Report) -> go.Figure:
    """Each seed's steps to the threshold; a seed that never reached it stands at its last step,
    marked "not reached" (censored, never dropped); the median over all seeds beside them."""
    section = report.steps_to_bleu
    fig = go.Figure()
    for arm, s in section.arms.items():
        reached = [step for step in s.per_seed if step is not None]
        pairs = zip(s.per_seed, s.last_step)
        censored = [last for step, last in pairs if step is None and last is not None]
        median = [s.median] if s.median is not None else []
        for name, y, symbol, size in (
            ("reached", reached, "circle-open", 8),
            ("not reached by", censored, "triangle-up-open", 10),
            ("median", median, "line-ew-open", 14),
        ):
            if y:  # an empty trace is not drawn: leave it out
                marker = {"color": arm_colour(arm), "size": size, "symbol": symbol}
                fig.add_trace(
                    go.Scatter(x=[arm] * len(y), y=y, mode="markers", name=f"{arm}: {name}", marker=marker)
                )
    fig.update_yaxes(title_text="steps", rangemode="tozero")
    title = f"Steps to reach dev BLEU {section.threshold} ({section.source}), seed by seed"
    return finish(fig, title, footnote(report))


def length_figure(report: Report) -> go.Figure:
    section = report.by_length
    labels = [f"{b} (n={n})" for b, n in zip(section.buckets, section.n)]
    fig = make_subplots(rows=1, cols=2, subplot_titles=["test BLEU", f"arm - {BASELINE} (paired by seed)"])
    for arm in report.arms:
        add_line(fig, Line.of_band(arm, arm_colour(arm), labels, section.arms[arm]), 1, 1)
    for arm, rows in section.vs_forward.items():
        differences = [r.estimate for r in rows]
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=[d.mean for d in differences],
                mode="markers",
                name=f"{arm} - {BASELINE}",
                marker={"color": arm_colour(arm), "size": 9},
                error_y=estimate_bars(differences),
            ),
            row=1,
            col=2,
        )
    fig.add_hline(y=0, line={"color": OTHER, "width": 1}, row=1, col=2)
    fig.update_xaxes(title_text="source words")
    return finish(fig, "Test BLEU by source length (Sutskever et al. 2014, Figure 3)", footnote(report))


def position_figure(report: Report) -> go.Figure:
    section = report.position_loss
    x = section.positions
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=["loss by target position", f"difference from {BASELINE}"]
    )
    for arm in report.arms:
        add_line(fig, Line.of_band(arm, arm_colour(arm), x, section.arms[arm]), 1, 1)
        if arm in section.vs_forward:
            difference = section.vs_forward[arm].band
            add_line(fig, Line.of_band(f"{arm} - {BASELINE}", arm_colour(arm), x, difference), 1, 2)
    fig.update_xaxes(title_text="target position")
    fig.update_yaxes(title_text="cross-entropy (nats)", row=1, col=1)
    fig.update_yaxes(title_text="nats (below 0: arm better)", row=1, col=2)
    return finish(
        fig,
        "Test loss at the first target positions: does reversal help the first words most (3.3)?",
        footnote(report),
    )
