"""Probe margins against the training step, each line with its 95% band, the surface baselines as
dotted levels: one figure for the app (a run's metrics.jsonl, several runs on one suite) and the
study report (the mean over seeds per arm), drawn by one function, `dynamics_figure`.

The app's records are metrics.jsonl's "probe" records, read by core.run.probe_log.ProbeLog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.analysis.bootstrap import INTERVAL_SCOPE
from core.render.lines import Line, add_line
from core.render.probe_margins import MARGIN_AXIS, series_label
from core.render.style import OTHER, finish, label, series_colour
from core.run.probe_log import ProbeLog


@dataclass(frozen=True)
class BaselineLevel:
    """A surface baseline's margin, drawn as a dotted level the curves must rise above."""

    label: str
    margin: float
    colour: str = OTHER


@dataclass(frozen=True)
class DynamicsPanel:
    title: str
    curves: tuple[Line, ...]
    levels: tuple[BaselineLevel, ...] = ()


def dynamics_figure(
    panels: Sequence[DynamicsPanel],
    title: str,
    subtitle: str | None = None,
    total_steps: int | None = None,
    footnote: str | None = None,
) -> go.Figure:
    """One panel per suite (or one in all), each curve with its band, each level dotted, and 0."""
    titles = [p.title for p in panels]
    fig = make_subplots(
        rows=1,
        cols=max(1, len(panels)),
        subplot_titles=titles if any(titles) else None,
        horizontal_spacing=0.04,
    )
    for col, panel in enumerate(panels, start=1):
        for curve in panel.curves:
            add_line(fig, curve, row=1, col=col, show_legend=col == 1)
        for level in panel.levels:
            dotted = {"color": level.colour, "dash": "dot", "width": 1}
            fig.add_hline(
                y=level.margin,
                line=dotted,
                annotation_text=level.label,
                annotation_font_size=9,
                row=1,
                col=col,
            )
        fig.add_hline(y=0, line_width=1, line_color="#888", row=1, col=col)
    fig.update_xaxes(title_text="step")
    fig.update_yaxes(title_text=MARGIN_AXIS, row=1, col=1)
    if total_steps:
        fig.update_xaxes(range=[0, total_steps])
    return finish(fig, title, footnote, height=360 if footnote is None else 420, subtitle=subtitle)


# --- a run's metrics.jsonl -------------------------------------------------------------------


def suites_of(runs: Mapping[str, Sequence[Mapping]]) -> list[str]:
    """Every suite scored in any of the runs, in order of first appearance."""
    return list(dict.fromkeys(s for records in runs.values() for s in ProbeLog.read(records).curves))


def record_curve(name: str, points: Sequence[Mapping], colour: str) -> Line:
    """A line of a run's scored probe records (one suite's), with its band and its hover."""
    interval = "[%{customdata[0]:+.3f}, %{customdata[1]:+.3f}]"
    extra = label(name).replace("%", "%%")
    hover = f"step %{{x}}: margin %{{y:+.3f}} {interval}%{{customdata[2]}}<extra>{extra}</extra>"
    low, high = tuple(r["low"] for r in points), tuple(r["high"] for r in points)
    detail = (
        f"<br>win rate {r.get('win_rate', float('nan')):.0%} of {r.get('n', 0)} families" for r in points
    )
    steps, margins = tuple(r["step"] for r in points), tuple(r["margin"] for r in points)
    return Line(
        name, colour, steps, margins, low, high, customdata=tuple(zip(low, high, detail)), hover=hover
    )


def margin_dynamics(records: Sequence[Mapping], total_steps: int | None = None) -> go.Figure:
    """One run: each suite's margin against the step, one line per suite with its 95% band, and
    its surface baselines dotted in the suite's colour."""
    log = ProbeLog.read(records)
    curves, dotted = [], []
    for i, (suite, points) in enumerate(log.curves.items()):
        curves.append(record_curve(suite, points, series_colour(i)))
        for name, margin in log.baselines.get(suite, {}).items():
            dotted.append(BaselineLevel(f"{suite}: {series_label(name)}", margin, series_colour(i)))
    panel = DynamicsPanel("", tuple(curves), tuple(dotted))
    title = "Probe margins during training, dotted: surface baselines"
    return dynamics_figure([panel], title, INTERVAL_SCOPE, total_steps)


def margin_dynamics_runs(runs: Mapping[str, Sequence[Mapping]], suite: str) -> go.Figure:
    """Several runs on one suite: one line per run (with its band); runs without it are left out."""
    curves, levels = [], {}
    for i, (name, records) in enumerate(runs.items()):
        log = ProbeLog.read(records)
        points = log.curves.get(suite)
        if points:
            curves.append(record_curve(name, points, series_colour(i)))
            levels.update(log.baselines.get(suite, {}))  # the same sentences: the same levels
    colour = series_colour(len(runs))
    dotted = tuple(BaselineLevel(series_label(name), margin, colour) for name, margin in levels.items())
    title = f"Probe margin during training · {suite} · dotted: surface baselines"
    return dynamics_figure([DynamicsPanel("", tuple(curves), dotted)], title, INTERVAL_SCOPE)
