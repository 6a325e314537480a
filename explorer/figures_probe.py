"""Plotly figures for probe margins beside their surface baselines. Report dicts in, Figures out.

The inputs are what core.analysis.probe_report returns as plain data: ProbeReport.to_dict()
for one suite, ProbeReport.split(table, tag) for the margins split by a tag. No Streamlit here
(unit-tested in tests/test_figures_probe.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.analysis.bootstrap import INTERVAL_SCOPE
from explorer.figures import TEMPLATE, margin_error_bars

MODEL = "model"
SERIES_STYLE = {  # name -> (legend label, colour, marker): the model stands out, baselines are grey
    MODEL: ("trained model", "#1f77b4", "circle"),
    "bag_of_words": ("bag of words", "#7f7f7f", "square"),
    "bag_of_bigrams": ("bag of bigrams", "#bcbd22", "diamond"),
    "untrained": ("untrained model (step 0)", "#ff7f0e", "x"),
}
MARGIN_AXIS = "cos(anchor, positive) − cos(anchor, negative)"


def _series(name: str, x: Sequence[str], stats: Sequence[Mapping], hover: Sequence[str]) -> go.Scatter:
    label, colour, symbol = SERIES_STYLE.get(name, (name, "#555", "circle"))
    return go.Scatter(
        x=list(x),
        y=[s["margin"] for s in stats],
        error_y=margin_error_bars(stats),
        customdata=[
            [s["margin_low"], s["margin_high"], s.get("win_rate", float("nan")), h]
            for s, h in zip(stats, hover)
        ],
        hovertemplate=(
            "%{x}: margin %{y:+.3f} [%{customdata[0]:+.3f}, %{customdata[1]:+.3f}]"
            "<br>win rate %{customdata[2]:.0%}%{customdata[3]}<extra>" + label + "</extra>"
        ),
        mode="markers",
        marker={"color": colour, "symbol": symbol, "size": 11 if name == MODEL else 9},
        name=label,
    )


def _margins(x: list[str], model: list[Mapping], baselines: dict[str, list[Mapping]], hover: list[str],
             title: str, x_title: str) -> go.Figure:  # fmt: skip
    fig = go.Figure()
    for name, stats in baselines.items():
        fig.add_trace(_series(name, x, stats, hover))
    fig.add_trace(_series(MODEL, x, model, hover))  # drawn last: on top
    fig.add_hline(y=0, line_width=1, line_color="#888")
    fig.update_layout(title=f"{title}<br><sup>{INTERVAL_SCOPE}</sup>", template=TEMPLATE, height=420,
                      margin={"l": 50, "r": 20, "t": 70, "b": 45}, xaxis_title=x_title, yaxis_title=MARGIN_AXIS,
                      xaxis_type="category", scattermode="group", legend={"orientation": "h", "y": -0.25})  # fmt: skip
    return fig


def margins_by_tag(split: Mapping, suite: str = "", run: str = "") -> go.Figure:
    """One x position per tag value (with its number of families), the trained model and each
    baseline as a point with its 95% interval.

    split: ProbeReport.split(table, tag): {"tag", "groups": [{"value", "n", "model": stats,
    "baselines": {name: stats}}]}, stats = {"margin", "margin_low", "margin_high", "win_rate"}.
    """
    groups = list(split["groups"])
    x = [f"{g['value']} ({g['n']})" for g in groups]
    names = list(groups[0]["baselines"]) if groups else []
    baselines = {name: [g["baselines"][name] for g in groups] for name in names}
    hover = [f"<br>{g['n']} families" + (f"<br>{g['note']}" if g.get("note") else "") for g in groups]
    where = " · ".join(p for p in (run, suite) if p)
    title = f"Margin by {split['tag']}" + (f" · {where}" if where else "")
    return _margins(x, [g["model"] for g in groups], baselines, hover, title, f"{split['tag']} (families)")


def margins_with_baselines(reports: Mapping[str, Mapping]) -> go.Figure:
    """Several suites (or runs) side by side: one x position per key, the model and each baseline.

    reports: label -> ProbeReport.to_dict() (the model's fields, "baselines", "lead", "n").
    """
    x = list(reports)
    names = list(next(iter(reports.values()))["baselines"]) if reports else []
    baselines = {name: [reports[k]["baselines"][name] for k in x] for name in names}
    hover = [
        f"<br>{r['n']} families; lead over {r['lead']['over']}: {r['lead']['margin']:+.3f} "
        f"[{r['lead']['margin_low']:+.3f}, {r['lead']['margin_high']:+.3f}]"
        + (" (beats every baseline)" if r["beats_baselines"] else " (does not beat every baseline)")
        for r in reports.values()
    ]
    return _margins(x, list(reports.values()), baselines, hover, "Probe margins beside surface baselines", "")
