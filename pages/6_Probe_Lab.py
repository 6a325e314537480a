"""Probe Lab: linear probes with control tasks, margins by tag beside baselines, nearest neighbours,
vector surgery."""

import streamlit as st

from explorer import state, widgets
from explorer.probe_lab import tabs

widgets.page(
    "Probe Lab",
    ":material/science:",
    "What can be read out of the thought vector, which sentences it puts together, and what the decoder "
    "makes of edited vectors.",
)
runs = widgets.require_usable_runs()
cols = st.columns([2, 1, 1])
with cols[0]:
    run = widgets.run_picker("Model", runs, key=state.LAB_RUN)
    widgets.run_notice(run)
vector_state, layers = widgets.vector_pickers(cols[1], cols[2], "lab", widgets.run_layers(run))
results = st.session_state[state.LAB_RESULT]

probe_tab, tag_tab, neighbour_tab, surgery_tab = st.tabs(
    ["Linear probes", "Margins by tag", "Nearest neighbours", "Vector surgery"]
)
chosen = tabs.Vectors(run, vector_state, layers)
with probe_tab:
    tabs.linear_probes(chosen, results)
with tag_tab:
    tabs.margins_by_tag(chosen, results)
with neighbour_tab:
    tabs.nearest_neighbours(chosen, results)
with surgery_tab:
    tabs.vector_surgery(run, results)
