"""The Compare page's sections, each with its controls, its figure and its exports (kept here so
the page reads top to bottom): the training curves, the probe margins during training, BLEU by
source length (Figure 3) and the probe scores of built-in suites."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from core.render.by_length import by_length_figure
from core.render.margin_dynamics import margin_dynamics_runs, suites_of
from core.render.probe_margins import probe_margins
from core.render.training_curves import metric_curves
from core.run.listing import RunInfo
from core.run.probe_log import ProbeLog
from explorer import widgets
from explorer.compare import tables
from explorer.messages import recompute

CURVE_TABS = {
    "Training loss": ("loss", "train"),
    "Dev perplexity": ("ppl", "dev"),
    "Dev BLEU": ("bleu", "dev"),
}
SUITE_HELP = "the suites each run scored at every dev evaluation"
LIMIT_HELP = "the first N pairs of each run's own test split"
MARGIN_NOTE = (
    "Margin = mean cos(anchor, positive) − cos(anchor, negative) over a suite's families: above 0, "
    "the encoder keeps what the paraphrase shares more than what the swap changes."
)


def training_curves(records: Mapping[str, Sequence[Mapping]]) -> None:
    """One tab per curve, every run overlaid."""
    for tab, (key, kind) in zip(st.tabs(list(CURVE_TABS)), CURVE_TABS.values()):
        with tab:
            fig = metric_curves(records, key)
            st.plotly_chart(fig, key=f"compare_{key}")
            frame = tables.curve_frame(records, key, kind)
            widgets.figure_exports(fig, f"curves-{key}", f"exp_{key}", frame)


def probe_dynamics(records: Mapping[str, Sequence[Mapping]]) -> None:
    """Every run's margin on one suite against the step (or which runs recorded none)."""
    probe_runs = {name: recs for name, recs in records.items() if ProbeLog.read(recs).curves}
    without = [name for name in records if name not in probe_runs]
    if probe_runs:
        suite = st.selectbox("Suite", suites_of(probe_runs), key="compare_dynamics_suite", help=SUITE_HELP)
        fig = margin_dynamics_runs(probe_runs, suite)
        st.plotly_chart(fig, key="compare_dynamics")
        st.caption(tables.DYNAMICS_NOTE)
        frame = tables.probe_dynamics_frame(records, suite)
        widgets.figure_exports(fig, f"dynamics-{suite}", "exp_dynamics", frame)
    if without:
        st.caption(
            "No probe margins recorded during training (older runs, or no probe suites): "
            + ", ".join(without)
        )


def bleu_by_length(ready: list[RunInfo], results: dict) -> None:
    """Translate the first pairs of each run's test split and score BLEU per length bucket."""
    cols = st.columns([1, 1, 3])
    limit = cols[0].number_input("Test sentences", 20, 5000, 300, 50, key="compare_limit", help=LIMIT_HELP)
    beam = cols[1].number_input(
        "Beam",
        value=1,
        key="compare_beam",
        help="1 = greedy (fast)",
        **widgets.option_bounds(widgets.SEARCH["beam"]),
    )
    cols[2].caption(
        f"Translates the first {limit} pairs of each run's test split (for speed; `s2s eval` scores the "
        "whole split) and scores BLEU per source-length bucket with sacrebleu."
    )
    if st.button("Compute BLEU by length", icon=":material/bar_chart:", disabled=not ready):
        recompute(
            results,
            "bleu",
            "translating the test split",
            lambda: tables.test_split_table(ready, int(limit), int(beam)),
        )
    if not results.get("bleu"):
        widgets.empty_hint("Compute BLEU by length")
        return
    bleu = results["bleu"]
    fig = by_length_figure(bleu.by_length)
    st.plotly_chart(fig, key="compare_bleu_len")
    st.dataframe(bleu.table, hide_index=True, width="stretch")
    widgets.figure_exports(fig, "bleu-by-length", "exp_bleu_len", tables.by_length_frame(bleu.by_length))


def probe_scores(ready: list[RunInfo], results: dict) -> None:
    """Score chosen built-in suites with every run: margins with their intervals, and a JSON export."""
    cols = st.columns([3, 1, 1])
    offered = [*tables.PROBE_SUITES, "figure2_left", "figure2_right"]
    suites = cols[0].multiselect(
        "Built-in suites", offered, default=list(tables.PROBE_SUITES), key="compare_suites"
    )
    vector_state, layers = widgets.vector_pickers(cols[1], cols[2], "compare")
    st.caption(MARGIN_NOTE)
    if st.button("Score the suites", icon=":material/science:", disabled=not (ready and suites)):
        recompute(
            results,
            "probes",
            "scoring the probe suites",
            lambda: tables.probe_scores(ready, suites, vector_state, layers),
        )
    if not results.get("probes"):
        widgets.empty_hint("Score the suites")
        return
    probes = results["probes"]
    for error in probes.errors:
        st.warning(error)
    if probes.rows:
        fig = probe_margins(probes.rows)
        st.plotly_chart(fig, key="compare_probes")
        st.dataframe(probes.rows, hide_index=True, width="stretch")
        widgets.figure_exports(fig, "probe-margins", "exp_probes", tables.probe_frame(probes.rows))
        st.download_button(
            "Probe scores (JSON)",
            tables.probe_json(probes),
            "probe-scores.json",
            "application/json",
            key="compare_probe_json",
            icon=":material/data_object:",
        )
