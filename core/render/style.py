"""The look every figure shares, the app's and report.html's: colours, template, fonts, escaped
labels, error bars, points over seeds, and the finish (title, legend, a footnote)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.colors import qualitative

from core.study.stats import Estimate

if TYPE_CHECKING:  # its sections import torch; the app's figures load without it
    from core.study.report_file import Report

TEMPLATE = "plotly_white"
FONT = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"  # local fonts only: no web fonts
ARM_COLOURS = {"forward": "#1f77b4", "reversed": "#d62728", "attention": "#2ca02c"}
OTHER = "#7f7f7f"  # baselines, floors and anything that is not an arm
PALETTE = ("#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2", "#bcbd22")  # variant columns, not arms
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
SERIES = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
)  # runs, suites
GROUP_COLOURS = qualitative.D3 + qualitative.Dark24  # the groups of a thought-vector map, in order
LABEL_CHARS = 48  # a sentence longer than this is cut in a label (its hover keeps it whole)


def series_colour(i: int) -> str:
    """The i-th run's or suite's colour in a figure of several."""
    return SERIES[i % len(SERIES)]


def arm_colour(arm: str) -> str:
    return ARM_COLOURS.get(arm, OTHER)


def translucent(hex_colour: str, alpha: float = 0.18) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def label(text: str) -> str:
    """Text shown by plotly as a label or hover: escaped, since plotly reads a subset of HTML (<b>,
    <br>, <a>, <span style> and &entities;), so a user's sentence shows as typed."""
    return html.escape(str(text), quote=False)


def short(text: str, chars: int = LABEL_CHARS) -> str:
    """`text` cut to `chars` characters with an ellipsis."""
    return text if len(text) <= chars else text[: chars - 1] + "…"


def interval_bars(
    centre: Sequence[float | None], low: Sequence[float | None], high: Sequence[float | None]
) -> go.scatter.ErrorY:
    """Asymmetric error bars from each point's interval (none where there is no interval)."""

    def gap(c: float | None, end: float | None) -> float:
        return 0.0 if c is None or end is None else abs(end - c)

    above, below = [gap(c, h) for c, h in zip(centre, high)], [gap(c, lo) for c, lo in zip(centre, low)]
    return go.scatter.ErrorY(type="data", symmetric=False, array=above, arrayminus=below)


def estimate_bars(estimates: Sequence[Estimate | None]) -> go.scatter.ErrorY:
    """interval_bars of estimates over seeds (core.study.stats.Estimate)."""
    kept = [e or Estimate(None, None, None, 0, ()) for e in estimates]
    return interval_bars([e.mean for e in kept], [e.low for e in kept], [e.high for e in kept])


def finish(
    fig: go.Figure, title: str, footnote: str | None = None, height: int = 420, subtitle: str | None = None
) -> go.Figure:
    """The shared layout: title (and a smaller subtitle under it), template, legend on top, and a
    footnote (a report's provenance)."""
    text = label(title) + (f"<br><sup>{label(subtitle)}</sup>" if subtitle else "")
    fig.update_layout(
        title={"text": text},
        template=TEMPLATE,
        height=height,
        font={"family": FONT},
        margin={"l": 60, "r": 20, "t": 110, "b": 110 if footnote else 50},
        legend={"orientation": "h", "y": 1.08, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    if footnote:
        place = {
            "x": 0,
            "y": 0,
            "yshift": -80,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
        }
        fig.add_annotation(text=label(footnote), showarrow=False, font={"size": 10, "color": "#666"}, **place)
    return fig


def footnote(report: Report) -> str:
    """A study figure's footnote: the report's provenance (seeds, config, data, BLEU's signature)."""
    return report.provenance.line()


def point_traces(
    fig: go.Figure, arms: Sequence[str], estimates: Mapping[str, Estimate], name: str, col: int, row: int = 1
) -> None:
    """Each arm's mean with its interval, and every seed's value as an open dot."""
    for arm in arms:
        e = estimates.get(arm)
        first = row == 1 and col == 1
        fig.add_trace(
            go.Scatter(
                x=[arm],
                y=[e.mean if e else None],
                mode="markers",
                name=arm,
                legendgroup=arm,
                showlegend=first,
                marker={"color": arm_colour(arm), "size": 11},
                error_y=estimate_bars([e]),
                hovertemplate=f"{arm} {label(name)}: %{{y:.4g}}<extra></extra>",
            ),
            row=row,
            col=col,
        )
        values = list(e.values) if e else []
        fig.add_trace(
            go.Scatter(
                x=[arm] * len(values),
                y=values,
                mode="markers",
                showlegend=False,
                legendgroup=arm,
                marker={"color": arm_colour(arm), "size": 6, "symbol": "circle-open"},
                hovertemplate="a seed: %{y:.4g}<extra></extra>",
            ),
            row=row,
            col=col,
        )
