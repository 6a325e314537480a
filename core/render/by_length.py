"""BLEU by source sentence length, the paper's Figure 3, for several runs (Compare)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.render.style import finish, label, series_colour


def by_length_figure(results: Mapping[str, Sequence[Mapping]]) -> go.Figure:
    """One line per run over the length buckets: results are run -> [{"bucket", "n", "bleu"}]
    (core.scoring.LengthBucket.to_dict)."""
    fig = go.Figure()
    for i, (name, rows) in enumerate(results.items()):
        run = label(name).replace("%", "%%")
        line = go.Scatter(
            x=[r["bucket"] for r in rows],
            y=[r["bleu"] for r in rows],
            customdata=[r["n"] for r in rows],
            hovertemplate=f"%{{x}} words: BLEU %{{y:.1f}} (%{{customdata}} sentences)<extra>{run}</extra>",
            mode="lines+markers",
            name=name,
            line={"color": series_colour(i)},
        )
        fig.add_trace(line)
    fig.update_layout(xaxis_title="source sentence length (words)", yaxis_title="BLEU", xaxis_type="category")
    return finish(fig, "BLEU by source length (Figure 3)", height=380)
