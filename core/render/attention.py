"""The attention heatmap of one translation: output tokens x source tokens (Translate)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from core.render.style import TEMPLATE, label


def attention_heatmap(
    source: Sequence[str], target: Sequence[str], weights: np.ndarray, title: str
) -> go.Figure:
    """weights (T, S): row t is output token t's attention over the source tokens (rows sum to 1)."""
    fig = go.Figure(
        go.Heatmap(
            z=np.asarray(weights),
            x=[f"{i + 1}. {label(tok)}" for i, tok in enumerate(source)],  # numbered: repeats stay apart
            y=[f"{i + 1}. {label(tok)}" for i, tok in enumerate(target)],
            colorscale="Blues",
            zmin=0.0,
            zmax=1.0,
            hovertemplate="output %{y}<br>source %{x}<br>weight %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=label(title),
        template=TEMPLATE,
        xaxis_title="source",
        yaxis_title="output",
        yaxis_autorange="reversed",
        height=max(260, 90 + 26 * len(target)),
    )
    return fig
