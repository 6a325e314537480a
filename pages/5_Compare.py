"""Compare: two or more runs (e.g. reversed vs forward) on curves, BLEU by length and probe scores."""

import streamlit as st

from explorer import jobs, state, widgets
from explorer.messages import recompute
from explorer.offered_runs import figure2_pair

widgets.page(
    "Compare",
    ":material/compare_arrows:",
    "Reversed vs forward source (or any runs): training curves, BLEU by sentence length (the paper's "
    "Figure 3) and probe scores with 95% intervals. Every chart can be exported.",
)
runs = widgets.all_runs()
if not runs:
    widgets.no_runs_notice()
    st.stop()
by_name = {r.name: r for r in runs}
pair = figure2_pair(runs, jobs.FIGURE2_RUNS)
default = [pair[1].name, pair[0].name] if pair else list(by_name)[:2]  # reversed first
names = st.multiselect("Runs", list(by_name), default=default, key="compare_runs",
                       format_func=lambda n: widgets.run_label(by_name[n]))  # fmt: skip
if not names:
    st.info("Choose at least one run above (two or more to compare).", icon=":material/checklist:")
    st.stop()

from explorer import figures, figures_dynamics  # pandas and plotly: after the page's controls
from explorer.compare import tables

chosen = [by_name[n] for n in names]
st.dataframe(tables.summary_frame(chosen), hide_index=True, width="stretch")

st.subheader("Training curves")
records = tables.metrics_by_run(chosen)
for tab, (key, kind) in zip(
    st.tabs(["Training loss", "Dev perplexity", "Dev BLEU"]),
    (("loss", "train"), ("ppl", "dev"), ("bleu", "dev")),
):
    with tab:
        fig = figures.metric_curves(records, key)
        st.plotly_chart(fig, key=f"compare_{key}")
        widgets.figure_exports(fig, f"curves-{key}", f"exp_{key}", tables.curve_frame(records, key, kind))

st.subheader("Probe margins during training")
probe_runs = {name: recs for name, recs in records.items() if figures_dynamics.probe_curves(recs)}
without = [name for name in records if name not in probe_runs]
if probe_runs:
    dynamic_suites = figures_dynamics.suites_of(probe_runs)
    suite = st.selectbox("Suite", dynamic_suites, key="compare_dynamics_suite",
                         help="the suites each run scored at every dev evaluation")  # fmt: skip
    fig = figures_dynamics.margin_dynamics_runs(probe_runs, suite)
    st.plotly_chart(fig, key="compare_dynamics")
    st.caption(tables.DYNAMICS_NOTE)
    widgets.figure_exports(
        fig, f"dynamics-{suite}", "exp_dynamics", tables.probe_dynamics_frame(records, suite)
    )
if without:
    st.caption(
        f"No probe margins recorded during training (older runs, or no probe suites): {', '.join(without)}"
    )

ready, waiting = tables.with_weights(chosen)
if waiting:
    st.caption(f"No checkpoint yet (left out below): {', '.join(waiting)}")
results = st.session_state[state.COMPARE_RESULT]

st.subheader("BLEU by source length (Figure 3)")
cols = st.columns([1, 1, 3])
limit = cols[0].number_input("Test sentences", 20, 5000, 300, 50, key="compare_limit",
                             help="the first N pairs of each run's own test split")  # fmt: skip
beam = cols[1].number_input(
    "Beam",
    value=1,
    key="compare_beam",
    help="1 = greedy (fast)",
    **widgets.option_bounds(widgets.SEARCH["beam"]),
)
cols[2].caption(
    f"Translates the first {limit} pairs of each run's test split (for speed; `s2s eval` scores the whole "
    "split) and scores BLEU per source-length bucket with sacrebleu."
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
else:
    bleu = results["bleu"]
    fig = figures.by_length_figure(bleu["by_length"])
    st.plotly_chart(fig, key="compare_bleu_len")
    st.dataframe(bleu["table"], hide_index=True, width="stretch")
    widgets.figure_exports(fig, "bleu-by-length", "exp_bleu_len", tables.by_length_frame(bleu["by_length"]))

st.subheader("Probe scores")
cols = st.columns([3, 1, 1])
suites = cols[0].multiselect("Built-in suites", [*list(tables.PROBE_SUITES), "figure2_left", "figure2_right"],
                             default=list(tables.PROBE_SUITES), key="compare_suites")  # fmt: skip
vector_state, layers = widgets.vector_pickers(cols[1], cols[2], "compare")
st.caption(
    "Margin = mean cos(anchor, positive) − cos(anchor, negative) over a suite's families: above 0, "
    "the encoder keeps what the paraphrase shares more than what the swap changes."
)
if st.button("Score the suites", icon=":material/science:", disabled=not (ready and suites)):
    recompute(
        results,
        "probes",
        "scoring the probe suites",
        lambda: tables.probe_scores(ready, suites, vector_state, layers),
    )
if not results.get("probes"):
    widgets.empty_hint("Score the suites")
else:
    probes = results["probes"]
    for error in probes["errors"]:
        st.warning(error)
    if probes["rows"]:
        fig = figures.probe_margins(probes["rows"])
        st.plotly_chart(fig, key="compare_probes")
        st.dataframe(probes["rows"], hide_index=True, width="stretch")
        widgets.figure_exports(fig, "probe-margins", "exp_probes", tables.probe_frame(probes["rows"]))
        st.download_button("Probe scores (JSON)", tables.probe_json(probes), "probe-scores.json",
                           "application/json", key="compare_probe_json", icon=":material/data_object:")  # fmt: skip
