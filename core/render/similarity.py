"""Cosine similarity of every pair of sentences, one heatmap per model, on one colour scale
(Thought Vectors)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.render.style import TEMPLATE, label, short


def similarity_heatmaps(matrices: Sequence[tuple[str, np.ndarray]], sentences: Sequence[str]) -> go.Figure:
    """Cosine similarity of every pair of sentences, one heatmap per model, the same colour scale."""
    labels = [label(short(s, 36)) for s in sentences]
    fig = make_subplots(
        rows=1, cols=len(matrices), subplot_titles=[t for t, _ in matrices], horizontal_spacing=0.12
    )
    pairs = np.array([[[label(a), label(b)] for b in sentences] for a in sentences], dtype=object)
    for col, (_, matrix) in enumerate(matrices, start=1):
        heatmap = go.Heatmap(
            z=np.asarray(matrix),
            x=labels,
            y=labels,
            zmin=-1,
            zmax=1,
            colorscale="RdBu",
            reversescale=True,
            customdata=pairs,
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>cos %{z:.3f}<extra></extra>",
            showscale=col == 1,
            colorbar={"title": "cos"},
        )
        fig.add_trace(heatmap, row=1, col=col)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=45)
    size = max(420, min(900, 160 + 22 * len(sentences)))
    fig.update_layout(template=TEMPLATE, height=size, margin={"l": 40, "r": 20, "t": 50, "b": 40})
    return fig
