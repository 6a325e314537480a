"""BLEU by source sentence length, the paper's Figure 3, for several runs (Compare): a line per run
(core.render.lines.add_line, as the study report's by-length figure draws each arm)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.render.lines import Line, add_line
from core.render.style import finish, label, series_colour


def by_length_figure(results: Mapping[str, Sequence[Mapping]]) -> go.Figure:
    """One line per run over the length buckets: results are run -> [{"bucket", "n", "bleu"}]
    (core.scoring.LengthBucket.to_dict)."""
    fig = go.Figure()
    for i, (name, rows) in enumerate(results.items()):
        run = label(name).replace("%", "%%")
        hover = f"%{{x}} words: BLEU %{{y:.1f}} (%{{customdata}} sentences)<extra>{run}</extra>"
        buckets, bleu = tuple(r["bucket"] for r in rows), tuple(r["bleu"] for r in rows)
        add_line(
            fig,
            Line(name, series_colour(i), buckets, bleu, customdata=tuple(r["n"] for r in rows), hover=hover),
        )
    fig.update_layout(xaxis_title="source sentence length (words)", yaxis_title="BLEU", xaxis_type="category")
    return finish(fig, "BLEU by source length (Figure 3)", height=380)
