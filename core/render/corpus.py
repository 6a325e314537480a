"""A corpus's sentence lengths (the Data page)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.render.style import finish, series_colour


def length_histogram(source_lengths: Sequence[int], target_lengths: Sequence[int]) -> go.Figure:
    """Sentence lengths (words) of both sides, overlaid."""
    fig = go.Figure()
    for i, (name, lengths) in enumerate((("source", source_lengths), ("target", target_lengths))):
        fig.add_trace(go.Histogram(x=list(lengths), name=name, opacity=0.6, marker_color=series_colour(i)))
    fig.update_layout(barmode="overlay", xaxis_title="words per sentence", yaxis_title="sentences")
    return finish(fig, "Sentence lengths", height=320)
