"""Training curves from metrics.jsonl's records: one run's loss, dev perplexity and dev BLEU side by
side (the Train page), and one metric for several runs overlaid (Compare); drawn by
core.render.lines.add_line, as the study report's learning curves are.

The records are metrics.jsonl's: {"kind": "train", "step", "loss", ...} and {"kind": "dev",
"step", "ppl", "bleu"} (bleu None when a run skipped it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.render.lines import Line, add_line
from core.render.style import finish, series_colour

CURVES = {  # metric key -> (record kind, axis title)
    "loss": ("train", "training loss (nats/token)"),
    "ppl": ("dev", "dev perplexity"),
    "bleu": ("dev", "dev BLEU (greedy)"),
}


def training_dashboard(
    train: Sequence[Mapping], dev: Sequence[Mapping], total_steps: int | None = None
) -> go.Figure:
    """One run's curves side by side: training loss, dev perplexity, dev BLEU against the step."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=[CURVES[k][1] for k in CURVES])
    for col, (key, (kind, title)) in enumerate(CURVES.items(), start=1):
        records = [r for r in (train if kind == "train" else dev) if r.get(key) is not None]
        steps, values = tuple(r["step"] for r in records), tuple(r[key] for r in records)
        mode = "lines+markers" if kind == "dev" else "lines"
        add_line(
            fig, Line(title, series_colour(col - 1), steps, values, mode=mode), 1, col, show_legend=False
        )
        fig.update_xaxes(title_text="step", row=1, col=col, range=[0, total_steps] if total_steps else None)
    fig.update_yaxes(type="log", row=1, col=2)
    return finish(fig, "", height=330)


def metric_curves(runs: Mapping[str, Sequence[Mapping]], key: str) -> go.Figure:
    """Several runs overlaid: `key` (loss | ppl | bleu) against the step, one line per run."""
    kind, title = CURVES[key]
    fig = go.Figure()
    for i, (name, records) in enumerate(runs.items()):
        points = [r for r in records if r.get("kind", kind) == kind and r.get(key) is not None]
        steps, values = tuple(r["step"] for r in points), tuple(r[key] for r in points)
        mode = "lines" if kind == "train" else "lines+markers"
        add_line(fig, Line(name, series_colour(i), steps, values, mode=mode))
    fig.update_layout(xaxis_title="step", yaxis_title=title)
    if key == "ppl":
        fig.update_yaxes(type="log")
    return finish(fig, title, height=380)
