"""The study report's figures of thought vectors: probe margins beside their baselines, CKA
across seeds, and Figure 2's maps, from a report's sections (core.study.report_file.Report).

Probe intervals are 95% t-intervals over seeds; the CKA figure's are sentence-jackknife intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.render.lines import Line
from core.render.margin_dynamics import BaselineLevel, DynamicsPanel, dynamics_figure
from core.render.probe_margins import MarginSeries, margin_points, series_label
from core.render.style import (
    OTHER,
    PALETTE,
    SYMBOLS,
    arm_colour,
    finish,
    footnote,
    interval_bars,
    label,
)
from core.study.compare import Figure2Map
from core.study.report_file import Report
from core.study.stats import Estimate

KINDS = {"raw": "raw cosine", "centred": "mean-centred cosine"}


def _estimates(name: str, estimates: Sequence[Estimate | None], colour: str) -> MarginSeries:
    """An arm's margins (or leads) over seeds: their means with 95% intervals."""
    kept = [e or Estimate(None, None, None, 0, ()) for e in estimates]
    means, lows, highs = (tuple(getattr(e, part) for e in kept) for part in ("mean", "low", "high"))
    return MarginSeries(name, colour, means, lows, highs, size=10)


def probes_final_figure(report: Report) -> go.Figure:
    """Each suite's margin per arm at the end (raw and centred, each beside its baselines) and its
    lead over the best baseline; intervals over seeds."""
    final, arms = report.probes.final, report.arms
    suites = list(final)
    titles = [f"{KINDS[k]} margin" for k in KINDS] + [
        f"{KINDS[k]}: lead over the best baseline" for k in KINDS
    ]
    fig = make_subplots(rows=2, cols=2, subplot_titles=[titles[0], titles[2], titles[1], titles[3]])
    for col, kind in enumerate(KINDS, start=1):
        for arm in arms:
            margins = _estimates(arm, [final[s][arm][kind].margin for s in suites], arm_colour(arm))
            leads = _estimates(arm, [final[s][arm][kind].lead for s in suites], arm_colour(arm))
            margin_points(fig, suites, margins, row=1, col=col, show_legend=col == 1)
            margin_points(fig, suites, leads, row=2, col=col, show_legend=False)
        names = list(dict.fromkeys(b for s in suites for b in final[s][arms[0]][kind].baselines))
        for j, name in enumerate(names):
            y = tuple(final[s][arms[0]][kind].baselines.get(name) for s in suites)
            none = (None,) * len(y)
            level = MarginSeries(series_label(name), OTHER, y, none, none, symbol=SYMBOLS[j + 1], size=8)
            margin_points(fig, suites, level, row=1, col=col, show_legend=col == 1)
        fig.add_hline(y=0, line={"color": OTHER, "width": 1}, row=2, col=col)
    fig.update_layout(scattermode="group")
    title = "Probe margins at the end of training, beside the surface baselines (a lead above 0 beats them)"
    return finish(fig, title, footnote(report), height=640)


def probes_training_figure(report: Report) -> go.Figure | None:
    """Probe margins over training from the runs' probe records, one panel per suite, a line per
    arm (the mean over seeds with its band); None when there are none."""
    over, final = report.probes.over_training, report.probes.final
    if not over:
        return None
    panels = []
    for suite in over:
        curves = [
            Line.of_band(arm, arm_colour(arm), over[suite][arm].steps, over[suite][arm].band)
            for arm in report.arms
        ]
        first = next(iter(final.get(suite, {}).values()), {}).get("raw")
        levels = first.baselines if first else {}
        dotted = tuple(
            BaselineLevel(series_label(name), margin)
            for name, margin in levels.items()
            if margin is not None and name != "untrained"  # the untrained encoder is each curve's step 0
        )
        panels.append(DynamicsPanel(suite, tuple(curves), dotted))
    title = "Probe margins over training: mean over seeds with 95% bands; dotted: surface baselines"
    return dynamics_figure(panels, title, footnote=footnote(report))


def cka_figure(report: Report) -> go.Figure | None:
    """Per pair of arms: CKA across seeds between the arms (solid) and between two seeds of one arm
    (dotted), with sentence-jackknife intervals; the debiased values as open markers; the floor
    (unrelated vectors) in grey."""
    cka = report.cka
    rows = cka.arms
    if not rows:
        return None
    fig = go.Figure()
    for a, b in dict.fromkeys((r.a, r.b) for r in rows):
        pair = [r for r in rows if (r.a, r.b) == (a, b)]
        x = [f"{r.state} layer {r.layer + 1}" for r in pair]
        for part, dash, name in (
            ("between", "solid", f"{a} vs {b}"),
            ("within", "dot", f"two seeds of {a} or {b}"),
        ):
            spread = [getattr(r, part) for r in pair]
            plain = [s.plain for s in spread]
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=plain,
                    mode="lines+markers",
                    name=name,
                    line={"color": arm_colour(b), "dash": dash},
                    error_y=interval_bars(plain, [s.low for s in spread], [s.high for s in spread]),
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=[s.debiased for s in spread],
                    mode="markers",
                    name=f"{name}, debiased",
                    marker={"color": arm_colour(b), "symbol": "circle-open", "size": 9},
                )
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[r.floor for r in pair],
                mode="lines",
                name="floor: sentences shuffled",
                line={"color": OTHER, "dash": "dash"},
            )
        )
    fig.update_yaxes(title_text="linear CKA", range=[-0.05, 1.05])
    fig.update_xaxes(title_text="state, layer (bottom = 1)")
    title = f"CKA across seeds on {cka.sentences} test sentences: between arms against two seeds of one arm"
    return finish(fig, title, footnote(report))


def figure2_figure(report: Report) -> go.Figure:
    """Figure 2's two panels for one seed of every arm: a row per panel, a column per arm, the arms
    of a row in shared axes (each map rotated onto forward's by Procrustes)."""
    maps, arms = report.figure2.maps, report.arms
    suites = list(maps)
    titles = []
    for suite in suites:
        for arm in arms:
            explained = maps[suite][arm].explained
            share = f" ({sum(explained[:2]) * 100:.0f}% of its variance)" if explained else ""
            titles.append(f"<b>{label(arm)}</b> · {label(suite)}{share}")
    fig = make_subplots(
        rows=len(suites),
        cols=len(arms),
        subplot_titles=titles,
        horizontal_spacing=0.04,
        vertical_spacing=0.1,
        shared_xaxes="rows",
        shared_yaxes="rows",
    )
    shown: set[str] = set()
    for row, suite in enumerate(suites, start=1):
        for col, arm in enumerate(arms, start=1):
            points = maps[suite][arm]
            for j, column in enumerate(dict.fromkeys(points.column)):
                index = [i for i, c in enumerate(points.column) if c == column]
                fig.add_trace(
                    go.Scatter(
                        x=[points.x[i] for i in index],
                        y=[points.y[i] for i in index],
                        mode="markers+text",
                        text=[label(points.text[i]) for i in index],
                        textposition="top center",
                        textfont={"size": 9},
                        name=label(column),
                        legendgroup=column,
                        showlegend=column not in shown,
                        marker={
                            "symbol": SYMBOLS[j % len(SYMBOLS)],
                            "size": 9,
                            "color": PALETTE[j % len(PALETTE)],
                        },
                        hovertemplate="%{text}<extra>" + label(column) + "</extra>",
                    ),
                    row=row,
                    col=col,
                )
                shown.add(column)
        fig.update_xaxes(range=_padded(maps[suite], "x", 0.35), row=row)
        fig.update_yaxes(range=_padded(maps[suite], "y", 0.15), row=row)
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    title = (
        f"Figure 2 (Sutskever et al. 2014), seed {report.figure2.seed}: PCA of the thought vectors, "
        "each arm's map rotated and scaled onto forward's (Procrustes)"
    )
    return finish(fig, title, footnote(report), height=440 * len(suites))


def _padded(maps: Mapping[str, Figure2Map], axis: str, share: float) -> list[float]:
    """An axis range over every arm's points, widened by `share` of its span on each side (room
    for the sentence labels, which plotly does not make room for)."""
    values = [v for points in maps.values() for v in getattr(points, axis)] or [0.0]
    low, high = min(values), max(values)
    pad = share * ((high - low) or 1.0)
    return [low - pad, high + pad]
