"""The encoder's path through its state space, token by token as it reads (Thought Vectors)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.render.style import GROUP_COLOURS, TEMPLATE, label, short

TEXT_TOKENS = 40  # longer paths get hover text only


def trajectory_map(maps: Sequence[Mapping]) -> go.Figure:
    """The encoder's top-layer state after each token it reads, one line per sentence, one
    panel per run (core.analysis.trajectories: {"run", "sentence", "tokens", "coords"})."""
    runs = list(dict.fromkeys(m["run"] for m in maps))
    fig = make_subplots(rows=1, cols=len(runs), subplot_titles=runs, horizontal_spacing=0.06)
    sentences = list(dict.fromkeys(m["sentence"] for m in maps))
    colours = {s: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, s in enumerate(sentences)}
    for m in maps:
        col = runs.index(m["run"]) + 1
        xy = np.asarray(m["coords"], dtype=np.float64)
        sizes = [6] * (len(xy) - 1) + [13]  # the last state is the thought vector
        name = label(short(m["sentence"], 40))
        path = go.Scatter(
            x=xy[:, 0],
            y=xy[:, 1],
            text=[label(t) for t in m["tokens"]],
            textposition="top center",
            mode="lines+markers+text" if len(xy) <= TEXT_TOKENS else "lines+markers",
            name=name,
            legendgroup=m["sentence"],
            showlegend=col == 1,
            marker={"size": sizes, "color": colours[m["sentence"]]},
            line={"color": colours[m["sentence"]]},
            hovertemplate="after “%{text}”<extra>" + name.replace("%", "%%") + "</extra>",
        )
        fig.add_trace(path, row=1, col=col)
    fig.update_layout(
        template=TEMPLATE,
        height=520,
        title="The encoder's path (top layer), token by token as read",
        legend={"orientation": "h", "y": -0.12},
        margin={"l": 40, "r": 20, "t": 70, "b": 40},
    )
    return fig
