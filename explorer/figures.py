"""Plotly figures for corpora, training curves and comparisons. Arrays and records in, Figures out.

No Streamlit here (unit-tested in tests/test_figures.py). The thought-vector figures are in
explorer/figures_vectors.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
TEMPLATE = "plotly_white"
CURVES = {  # metric key -> (record kind, axis title)
    "loss": ("train", "training loss (nats/token)"),
    "ppl": ("dev", "dev perplexity"),
    "bleu": ("dev", "dev BLEU (greedy)"),
}


def margin_error_bars(stats: Sequence[Mapping]) -> dict:
    """Asymmetric error bars from each {"margin", "margin_low", "margin_high"} (a 95% interval)."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [s["margin_high"] - s["margin"] for s in stats],
        "arrayminus": [s["margin"] - s["margin_low"] for s in stats],
    }


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title=title, template=TEMPLATE, height=height, margin={"l": 50, "r": 20, "t": 60, "b": 45}
    )
    return fig


def length_histogram(source_lengths: Sequence[int], target_lengths: Sequence[int]) -> go.Figure:
    """Sentence lengths (words) of both sides, overlaid."""
    fig = go.Figure()
    for name, lengths, i in (("source", source_lengths, 0), ("target", target_lengths, 1)):
        fig.add_trace(go.Histogram(x=list(lengths), name=name, opacity=0.6, marker_color=colour(i)))
    fig.update_layout(barmode="overlay", xaxis_title="words per sentence", yaxis_title="sentences")
    return _layout(fig, "Sentence lengths", height=320)


def training_dashboard(
    train: Sequence[dict], dev: Sequence[dict], total_steps: int | None = None
) -> go.Figure:
    """One run's curves side by side: training loss, dev perplexity, dev BLEU against the step."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=[CURVES[k][1] for k in CURVES])
    for col, (key, (kind, _)) in enumerate(CURVES.items(), start=1):
        records = [r for r in (train if kind == "train" else dev) if r.get(key) is not None]
        fig.add_trace(
            go.Scatter(
                x=[r["step"] for r in records],
                y=[r[key] for r in records],
                mode="lines+markers" if kind == "dev" else "lines",
                name=CURVES[key][1],
                line={"color": colour(col - 1)},
                showlegend=False,
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="step", row=1, col=col, range=[0, total_steps] if total_steps else None)
    fig.update_yaxes(type="log", row=1, col=2)
    return _layout(fig, "", height=330)


def metric_curves(runs: Mapping[str, Sequence[dict]], key: str) -> go.Figure:
    """Several runs overlaid: `key` (loss | ppl | bleu) against the step, one line per run."""
    kind, title = CURVES[key]
    fig = go.Figure()
    for i, (name, records) in enumerate(runs.items()):
        points = [r for r in records if r.get("kind", kind) == kind and r.get(key) is not None]
        fig.add_trace(
            go.Scatter(
                x=[r["step"] for r in points],
                y=[r[key] for r in points],
                mode="lines" if kind == "train" else "lines+markers",
                name=name,
                line={"color": colour(i)},
            )
        )
    fig.update_layout(xaxis_title="step", yaxis_title=title)
    if key == "ppl":
        fig.update_yaxes(type="log")
    return _layout(fig, title)


def by_length_figure(results: Mapping[str, Sequence[dict]]) -> go.Figure:
    """The paper's Figure 3: BLEU per source-length bucket, one line per run ({bucket, n, bleu} rows)."""
    fig = go.Figure()
    for i, (name, rows) in enumerate(results.items()):
        fig.add_trace(
            go.Scatter(
                x=[r["bucket"] for r in rows],
                y=[r["bleu"] for r in rows],
                customdata=[r["n"] for r in rows],
                hovertemplate="%{x} words: BLEU %{y:.1f} (%{customdata} sentences)<extra>"
                + name
                + "</extra>",
                mode="lines+markers",
                name=name,
                line={"color": colour(i)},
            )
        )
    fig.update_layout(xaxis_title="source sentence length (words)", yaxis_title="BLEU", xaxis_type="category")
    return _layout(fig, "BLEU by source length (Figure 3)")


def probe_margins(rows: Sequence[dict]) -> go.Figure:
    """Probe margins with 95% intervals: one bar group per suite, one colour per run.

    rows: {"run", "suite", "margin", "margin_low", "margin_high", "win_rate", "n"}
    """
    fig = go.Figure()
    runs = list(dict.fromkeys(r["run"] for r in rows))
    for i, run in enumerate(runs):
        mine = [r for r in rows if r["run"] == run]
        fig.add_trace(
            go.Bar(
                x=[r["suite"] for r in mine],
                y=[r["margin"] for r in mine],
                error_y=margin_error_bars(mine),
                customdata=[[r.get("win_rate", float("nan")), r.get("n", 0)] for r in mine],
                hovertemplate=(
                    "%{x}: margin %{y:.3f}<br>win rate %{customdata[0]:.0%} of %{customdata[1]} families"
                    "<extra>" + run + "</extra>"
                ),
                name=run,
                marker_color=colour(i),
            )
        )
    fig.add_hline(y=0, line_width=1, line_color="#888")
    fig.update_layout(
        barmode="group",
        xaxis_title="probe suite",
        yaxis_title="cos(anchor, positive) − cos(anchor, negative)",
    )
    return _layout(fig, "Probe margins with 95% bootstrap intervals")
