"""Compare: two or more runs (e.g. reversed vs forward) on curves, BLEU by length and probe scores."""

import streamlit as st

from explorer import jobs, state, widgets
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
names = st.multiselect(
    "Runs",
    list(by_name),
    default=default,
    key="compare_runs",
    format_func=lambda n: widgets.run_label(by_name[n]),
)
if not names:
    st.info("Choose at least one run above (two or more to compare).", icon=":material/checklist:")
    st.stop()

from explorer.compare import sections, tables  # pandas and plotly: after the page's controls

chosen = [by_name[n] for n in names]
st.dataframe(tables.summary_frame(chosen), hide_index=True, width="stretch")
records = tables.metrics_by_run(chosen)
st.subheader("Training curves")
sections.training_curves(records)
st.subheader("Probe margins during training")
sections.probe_dynamics(records)

ready, waiting = tables.with_weights(chosen)
if waiting:
    st.caption(f"No checkpoint yet (left out below): {', '.join(waiting)}")
results = st.session_state[state.COMPARE_RESULT]
st.subheader("BLEU by source length (Figure 3)")
sections.bleu_by_length(ready, results)
st.subheader("Probe scores")
sections.probe_scores(ready, results)
