"""A line over x with its 95% band: the one trace builder of every curve, the app's and
report.html's alike (training curves, BLEU by source length, loss by target position, probe
margins against the step)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from core.render.style import translucent
from core.study.stats import Band


@dataclass(frozen=True)
class Line:
    """One series: y over x, with its interval where there is one (low and high; () for none)."""

    name: str
    colour: str
    x: tuple
    y: tuple[float | None, ...]
    low: tuple[float | None, ...] = ()
    high: tuple[float | None, ...] = ()
    mode: str = "lines+markers"
    marker_size: int | None = None
    customdata: tuple = ()  # per point, for `hover`
    hover: str | None = None  # a plotly hovertemplate (None: plotly's own)

    @classmethod
    def of_band(cls, name: str, colour: str, x: Sequence, band: Band) -> Line:
        """The mean over seeds with its 95% interval (core.study.stats.Band), as report.html draws it."""
        return cls(name, colour, tuple(x), tuple(band.mean), tuple(band.low), tuple(band.high), marker_size=4)


def add_line(
    fig: go.Figure, line: Line, row: int | None = None, col: int | None = None, show_legend: bool = True
) -> None:
    """The band (a shaded area where both ends of the interval are known), then the line over it."""
    points = [
        (x, lo, hi) for x, lo, hi in zip(line.x, line.low, line.high) if lo is not None and hi is not None
    ]
    if points:
        xs, lows, highs = zip(*points)
        band = go.Scatter(
            x=[*xs, *reversed(xs)],
            y=[*highs, *reversed(lows)],  # high forwards, then low backwards, filled
            fill="toself",
            mode="none",
            fillcolor=translucent(line.colour),
            hoverinfo="skip",
            showlegend=False,
            legendgroup=line.name,
            name=f"{line.name} interval",
        )
        fig.add_trace(band, row=row, col=col)
    trace = go.Scatter(
        x=list(line.x),
        y=list(line.y),
        mode=line.mode,
        name=line.name,
        legendgroup=line.name,
        showlegend=show_legend,
        line={"color": line.colour},
        marker={"size": line.marker_size} if line.marker_size else None,
        customdata=list(line.customdata) or None,
        hovertemplate=line.hover,
    )
    fig.add_trace(trace, row=row, col=col)
