"""Representation dynamics: probe margins against the training step. Records in, Figures out.

The records are metrics.jsonl's "probe" records (core/training/probe_scorer.py): {"kind": "probe",
"step", "suite", "n", "margin", "low", "high", "win_rate", ...}, or {"kind": "probe", "step",
"suite", "skipped"} for a suite the run's tokenizer could not read, and at step 0 each suite's
surface baselines ({"baseline": "bag_of_words", "margin", ...}), drawn as dotted levels beside the
curves. No Streamlit here (unit-tested in tests/test_figures.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.analysis.bootstrap import INTERVAL_SCOPE
from explorer.figures import TEMPLATE, colour
from explorer.figures_probe import MARGIN_AXIS, SERIES_STYLE


def probe_curves(records: Sequence[Mapping]) -> dict[str, list[Mapping]]:
    """Scored probe records by suite, in step order (suites in order of first appearance)."""
    curves: dict[str, list[Mapping]] = {}
    for r in records:
        if r.get("kind", "probe") == "probe" and r.get("margin") is not None and not r.get("baseline"):
            curves.setdefault(r["suite"], []).append(r)
    return {suite: sorted(points, key=lambda r: r["step"]) for suite, points in curves.items()}


def baseline_levels(records: Sequence[Mapping]) -> dict[str, dict[str, float]]:
    """suite -> {surface baseline: its margin}, from the records written when the run started."""
    levels: dict[str, dict[str, float]] = {}
    for r in records:
        if r.get("kind", "probe") == "probe" and r.get("baseline") and r.get("margin") is not None:
            levels.setdefault(r["suite"], {})[r["baseline"]] = r["margin"]
    return levels


def _levels(fig: go.Figure, suite: str, levels: Mapping[str, float], i: int, label_suite: bool) -> None:
    """Dotted horizontal lines at a suite's surface baselines (the model must rise above them)."""
    for name, margin in levels.items():
        label = SERIES_STYLE.get(name, (name,))[0]
        fig.add_hline(
            y=margin,
            line={"color": colour(i), "dash": "dot", "width": 1},
            annotation_text=f"{suite}: {label}" if label_suite else label,
            annotation_font_size=9,
        )


def skipped_suites(records: Sequence[Mapping]) -> dict[str, str]:
    """suite -> why it was not scored (the "skipped" records)."""
    return {
        r["suite"]: r["skipped"] for r in records if r.get("kind", "probe") == "probe" and r.get("skipped")
    }


def _band(rgb: str) -> str:
    """The line's colour, translucent, for its interval band."""
    r, g, b = (int(rgb[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},0.18)"


def _line(fig: go.Figure, name: str, points: Sequence[Mapping], i: int) -> None:
    steps = [r["step"] for r in points]
    fig.add_trace(
        go.Scatter(  # the band: high forwards, then low backwards, filled
            x=steps + steps[::-1],
            y=[r["high"] for r in points] + [r["low"] for r in points][::-1],
            fill="toself",
            fillcolor=_band(colour(i)),
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
            legendgroup=name,
            name=f"{name} interval",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=steps,
            y=[r["margin"] for r in points],
            customdata=[
                [r["low"], r["high"], r.get("win_rate", float("nan")), r.get("n", 0)] for r in points
            ],
            hovertemplate=(
                "step %{x}: margin %{y:+.3f} [%{customdata[0]:+.3f}, %{customdata[1]:+.3f}]"
                "<br>win rate %{customdata[2]:.0%} of %{customdata[3]} families<extra>" + name + "</extra>"
            ),
            mode="lines+markers",
            line={"color": colour(i)},
            legendgroup=name,
            name=name,
        )
    )


def _finish(fig: go.Figure, title: str, total_steps: int | None) -> go.Figure:
    fig.add_hline(y=0, line_width=1, line_color="#888")
    fig.update_layout(
        title=f"{title}<br><sup>{INTERVAL_SCOPE}</sup>",
        template=TEMPLATE,
        height=360,
        margin={"l": 50, "r": 20, "t": 70, "b": 45},
        xaxis_title="step",
        yaxis_title=MARGIN_AXIS,
    )
    if total_steps:
        fig.update_xaxes(range=[0, total_steps])
    return fig


def margin_dynamics(records: Sequence[Mapping], total_steps: int | None = None) -> go.Figure:
    """One run: each suite's margin against the step, one line per suite with its 95% band."""
    fig = go.Figure()
    levels = baseline_levels(records)
    for i, (suite, points) in enumerate(probe_curves(records).items()):
        _line(fig, suite, points, i)
        _levels(fig, suite, levels.get(suite, {}), i, label_suite=True)
    return _finish(fig, "Probe margins during training, dotted: surface baselines", total_steps)


def margin_dynamics_runs(runs: Mapping[str, Sequence[Mapping]], suite: str) -> go.Figure:
    """Several runs on one suite: one line per run (with its band); runs without it are left out."""
    fig = go.Figure()
    levels: dict[str, float] = {}
    for i, (name, records) in enumerate(runs.items()):
        points = probe_curves(records).get(suite)
        if points:
            _line(fig, name, points, i)
            levels.update(baseline_levels(records).get(suite, {}))  # the same sentences: the same levels
    _levels(fig, suite, levels, len(runs), label_suite=False)
    return _finish(fig, f"Probe margin during training · {suite} · dotted: surface baselines", None)


def suites_of(runs: Mapping[str, Sequence[Mapping]]) -> list[str]:
    """Every suite scored in any of the runs, in order of first appearance."""
    return list(dict.fromkeys(s for records in runs.values() for s in probe_curves(records)))
