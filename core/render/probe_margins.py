"""Probe margins as points with their 95% intervals, the trained model beside its surface baselines:
one trace builder, `margin_points`, for the app (a suite's report, its split by a tag, several runs
on several suites) and the study report (each arm's margin and lead at the end of training).

The app's inputs are plain data, as core.analysis returns them: ProbeReport.to_dict() for one
suite, TagSplit.to_dict() for the margins split by a tag, ProbeResult rows for several runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from core.analysis.bootstrap import INTERVAL_SCOPE
from core.render.style import finish, interval_bars, label, series_colour

MODEL = "model"
SERIES_STYLE = {  # name -> (legend label, colour, marker): the model stands out, baselines are grey
    MODEL: ("trained model", "#1f77b4", "circle"),
    "bag_of_words": ("bag of words", "#7f7f7f", "square"),
    "bag_of_bigrams": ("bag of bigrams", "#bcbd22", "diamond"),
    "untrained": ("untrained model (step 0)", "#ff7f0e", "x"),
}
MARGIN_AXIS = "cos(anchor, positive) − cos(anchor, negative)"


def series_label(name: str) -> str:
    """The legend label of the model or a surface baseline ("bag_of_words" -> "bag of words")."""
    return SERIES_STYLE.get(name, (name.replace("_", " "),))[0]


@dataclass(frozen=True)
class MarginSeries:
    """One series of margins (the model, an arm, a baseline), one point per x, each with its
    interval (None: no interval there) and what its hover adds."""

    name: str  # the legend's
    colour: str
    margin: tuple[float | None, ...]
    low: tuple[float | None, ...]
    high: tuple[float | None, ...]
    symbol: str = "circle"
    size: int = 9
    win_rate: tuple[float, ...] = ()  # shown in the hover when given
    detail: tuple[str, ...] = ()  # hover text after the rest, e.g. "<br>200 families"

    @classmethod
    def of(cls, stats: Sequence[Mapping], name: str, colour: str, **style) -> MarginSeries:
        """A series from {"margin", "margin_low", "margin_high", "win_rate"} records."""
        return cls(
            name,
            colour,
            tuple(s["margin"] for s in stats),
            tuple(s["margin_low"] for s in stats),
            tuple(s["margin_high"] for s in stats),
            win_rate=tuple(s.get("win_rate", float("nan")) for s in stats),
            **style,
        )

    @classmethod
    def styled(cls, name: str, stats: Sequence[Mapping], detail: Sequence[str] = ()) -> MarginSeries:
        """The trained model's or a baseline's series, styled by SERIES_STYLE."""
        label_, colour, symbol = SERIES_STYLE.get(name, (name, "#555", "circle"))
        size = 11 if name == MODEL else 9
        return cls.of(stats, label_, colour, symbol=symbol, size=size, detail=tuple(detail))


def margin_points(
    fig: go.Figure,
    x: Sequence,
    series: MarginSeries,
    row: int | None = None,
    col: int | None = None,
    show_legend: bool = True,
) -> None:
    """Add one series: a marker per x at its margin, with its interval as error bars."""
    n = len(series.margin)
    wins = series.win_rate or (None,) * n
    detail = series.detail or ("",) * n
    win_text = "<br>win rate %{customdata[2]:.0%}" if series.win_rate else ""
    interval = "[%{customdata[0]:+.3f}, %{customdata[1]:+.3f}]"
    detail_text = "%{customdata[3]}"
    extra = label(series.name).replace("%", "%%")
    trace = go.Scatter(
        x=list(x),
        y=list(series.margin),
        error_y=interval_bars(series.margin, series.low, series.high),
        customdata=[[lo, hi, w, d] for lo, hi, w, d in zip(series.low, series.high, wins, detail)],
        hovertemplate=f"%{{x}}: margin %{{y:+.3f}} {interval}{win_text}{detail_text}<extra>{extra}</extra>",
        mode="markers",
        marker={"color": series.colour, "symbol": series.symbol, "size": series.size},
        name=series.name,
        legendgroup=series.name,
        showlegend=show_legend,
    )
    fig.add_trace(trace, row=row, col=col)


def _margins(x: list[str], series: Sequence[MarginSeries], title: str, x_title: str) -> go.Figure:
    """Series side by side at each x, the last drawn on top, with the zero line."""
    fig = go.Figure()
    for s in series:
        margin_points(fig, x, s)
    fig.add_hline(y=0, line_width=1, line_color="#888")
    fig.update_layout(
        xaxis_title=x_title, yaxis_title=MARGIN_AXIS, xaxis_type="category", scattermode="group"
    )
    return finish(fig, title, subtitle=INTERVAL_SCOPE)


def margins_by_tag(split: Mapping, suite: str = "", run: str = "") -> go.Figure:
    """One x position per tag value (with its number of families), the trained model and each
    baseline as a point with its 95% interval.

    split: TagSplit.to_dict(): {"tag", "groups": [{"value", "n", "note"?, "model": stats,
    "baselines": {name: stats}}]}, stats = {"margin", "margin_low", "margin_high", "win_rate"}.
    """
    groups = list(split["groups"])
    x = [f"{g['value']} ({g['n']})" for g in groups]
    names = list(groups[0]["baselines"]) if groups else []
    hover = [f"<br>{g['n']} families" + (f"<br>{g['note']}" if g.get("note") else "") for g in groups]
    series = [MarginSeries.styled(name, [g["baselines"][name] for g in groups], hover) for name in names]
    series.append(MarginSeries.styled(MODEL, [g["model"] for g in groups], hover))  # drawn last: on top
    where = " · ".join(p for p in (run, suite) if p)
    title = f"Margin by {split['tag']}" + (f" · {where}" if where else "")
    return _margins(x, series, title, f"{split['tag']} (families)")


def margins_with_baselines(reports: Mapping[str, Mapping]) -> go.Figure:
    """Several suites (or runs) side by side: one x position per key, the model and each baseline.

    reports: label -> ProbeReport.to_dict() (the model's fields, "baselines", "lead", "n").
    """
    x = list(reports)
    names = list(next(iter(reports.values()))["baselines"]) if reports else []
    hover = [
        f"<br>{r['n']} families; lead over {r['lead']['over']}: {r['lead']['margin']:+.3f} "
        f"[{r['lead']['margin_low']:+.3f}, {r['lead']['margin_high']:+.3f}]"
        + (" (beats every baseline)" if r["beats_baselines"] else " (does not beat every baseline)")
        for r in reports.values()
    ]
    series = [MarginSeries.styled(name, [reports[k]["baselines"][name] for k in x], hover) for name in names]
    series.append(MarginSeries.styled(MODEL, list(reports.values()), hover))
    return _margins(x, series, "Probe margins beside surface baselines", "")


def probe_margins(rows: Sequence[Mapping]) -> go.Figure:
    """Several runs on several suites: one colour per run, one x position per suite.

    rows: {"run", "suite", "margin", "margin_low", "margin_high", "win_rate", "n"}
    """
    fig = go.Figure()
    for i, run in enumerate(dict.fromkeys(r["run"] for r in rows)):
        mine = [r for r in rows if r["run"] == run]
        detail = tuple(f" of {r.get('n', 0)} families" for r in mine)
        series = MarginSeries.of(mine, run, series_colour(i), size=10, detail=detail)
        margin_points(fig, [r["suite"] for r in mine], series)
    fig.add_hline(y=0, line_width=1, line_color="#888")
    fig.update_layout(xaxis_title="probe suite", yaxis_title=MARGIN_AXIS, scattermode="group")
    return finish(fig, "Probe margins with 95% bootstrap intervals", subtitle=INTERVAL_SCOPE)
