"""Thought vectors mapped in 2-D or 3-D: the same sentences in one or more models' maps side by
side in shared axes, coloured by group, with lines from each anchor to its paraphrases (solid) and
its swap (dashed): the paper's Figure 2 (Thought Vectors)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.render.style import GROUP_COLOURS, TEMPLATE, label, short

LINE_STYLES = {
    "paraphrase": {"color": "#2ca02c", "dash": "solid"},
    "swap": {"color": "#d62728", "dash": "dash"},
}


def _ranges(coords: Sequence[np.ndarray], margin: float = 0.08) -> list[list[float]]:
    """One [low, high] per axis covering every panel, with a margin: shared axes."""
    points = np.concatenate([np.asarray(c, dtype=np.float64) for c in coords])
    low, high = points.min(0), points.max(0)
    pad = np.maximum((high - low) * margin, 1e-6)
    return [[float(a), float(b)] for a, b in zip(low - pad, high + pad)]


def thought_map(
    panels: Sequence[dict],
    sentences: Sequence[str],
    groups: Sequence[str],
    links: Sequence[tuple[int, int, str]] = (),
    show_text: bool = False,
    title: str = "",
) -> go.Figure:
    """The same sentences in one or more models' maps, side by side in shared axes.

    panels: [{"title": str, "coords": (n, 2) or (n, 3)}]; groups: a colour group per sentence;
    links: (i, j, "paraphrase" | "swap") lines between points.
    """
    dims = np.asarray(panels[0]["coords"]).shape[1]
    three_d = dims == 3
    specs = [[{"type": "scene"} if three_d else {"type": "xy"} for _ in panels]]
    fig = make_subplots(
        rows=1,
        cols=len(panels),
        specs=specs,
        subplot_titles=[p["title"] for p in panels],
        horizontal_spacing=0.06,
    )
    order = list(dict.fromkeys(groups))
    colours = {g: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(order)}
    for col, panel in enumerate(panels, start=1):
        xyz = np.asarray(panel["coords"], dtype=np.float64)
        for kind, style in LINE_STYLES.items():
            pairs = [(i, j) for i, j, k in links if k == kind]
            if pairs:
                fig.add_trace(_lines(xyz, pairs, kind, style, three_d, show_legend=col == 1), row=1, col=col)
        for group in order:
            idx = [i for i, g in enumerate(groups) if g == group]
            fig.add_trace(
                _points(
                    xyz[idx], [sentences[i] for i in idx], group, colours[group], three_d, show_text, col == 1
                ),
                row=1,
                col=col,
            )
    ranges = _ranges([p["coords"] for p in panels], margin=0.22 if show_text else 0.08)  # room for labels
    axis_names = ["x", "y", "z"][:dims]
    if three_d:
        for col in range(1, len(panels) + 1):
            scene = "scene" if col == 1 else f"scene{col}"
            fig.layout[scene].update(
                {f"{a}axis": {"range": r, "title": f"{a}"} for a, r in zip(axis_names, ranges)}
                | {"aspectmode": "cube"}
            )
    else:
        fig.update_xaxes(range=ranges[0], zeroline=False, title_text="component 1")
        fig.update_yaxes(range=ranges[1], zeroline=False, title_text="component 2")
    fig.update_layout(
        title=title,
        template=TEMPLATE,
        height=560 if not three_d else 620,
        legend={"orientation": "h", "y": -0.12},
        margin={"l": 40, "r": 20, "t": 70, "b": 40},
    )
    return fig


def _lines(xyz: np.ndarray, pairs, kind: str, style: dict, three_d: bool, show_legend: bool):
    """All lines of one kind as a single trace (None between segments)."""
    coords: list[list[float | None]] = [[] for _ in range(xyz.shape[1])]
    for i, j in pairs:
        for axis in range(xyz.shape[1]):
            coords[axis] += [xyz[i, axis], xyz[j, axis], None]
    common = {
        "mode": "lines",
        "name": f"anchor → {kind}",
        "legendgroup": kind,
        "showlegend": show_legend,
        "hoverinfo": "skip",
        "line": {"color": style["color"], "dash": style["dash"], "width": 1.5},
    }
    if three_d:
        return go.Scatter3d(x=coords[0], y=coords[1], z=coords[2], **common)
    return go.Scatter(x=coords[0], y=coords[1], **common)


def _points(xyz, texts, group, colour, three_d, show_text, show_legend):
    common = {
        "mode": "markers+text" if show_text else "markers",
        "name": label(short(group, 40)),
        "legendgroup": group,
        "showlegend": show_legend,
        "text": [label(short(t)) for t in texts] if show_text else None,
        "hovertext": [label(t) for t in texts],
        "hovertemplate": "%{hovertext}<extra>" + label(short(group, 40)).replace("%", "%%") + "</extra>",
        "marker": {
            "color": colour,
            "size": 9 if not three_d else 5,
            "line": {"width": 0.5, "color": "white"},
        },
    }
    if three_d:
        return go.Scatter3d(x=xyz[:, 0], y=xyz[:, 1], z=xyz[:, 2], **common)
    return go.Scatter(
        x=xyz[:, 0], y=xyz[:, 1], textposition="top center", textfont={"size": 11}, cliponaxis=False, **common
    )
