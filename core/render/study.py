"""The study report's figures, in the order report.html and the Study page show them."""

from __future__ import annotations

import plotly.graph_objects as go

from core.render.study_scores import (
    curves_figure,
    differences_figure,
    length_figure,
    position_figure,
    scores_figure,
    threshold_figure,
)
from core.render.study_vectors import cka_figure, figure2_figure, probes_final_figure, probes_training_figure
from core.study.report_file import Report


def figures(report: Report) -> list[tuple[str, go.Figure]]:
    """(caption, figure) of every figure the report has data for."""
    out = [
        ("Test scores", scores_figure(report, "test")),
        ("Dev scores", scores_figure(report, "dev")),
        ("Differences against forward", differences_figure(report, "test")),
        ("Learning curves", curves_figure(report)),
        ("Steps to a dev BLEU threshold", threshold_figure(report)),
        ("BLEU by source length", length_figure(report)),
        ("Loss by target position", position_figure(report)),
        ("Probe margins at the end", probes_final_figure(report)),
        ("Probe margins over training", probes_training_figure(report)),
        ("CKA between arms, against seeds", cka_figure(report)),
        ("Figure 2 maps", figure2_figure(report)),
    ]
    return [(caption, fig) for caption, fig in out if fig is not None]
