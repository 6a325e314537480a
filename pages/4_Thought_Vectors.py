"""Thought Vectors: the encoder's final state of sentence sets, mapped in 2-D/3-D, scored, compared."""

import streamlit as st

from explorer import state, widgets
from explorer.messages import shown_errors
from explorer.thought_vectors import controls, maps

widgets.page(
    "Thought Vectors",
    ":material/scatter_plot:",
    "The encoder's final (h, c) — the paper's fixed-size sentence representation — projected to 2-D or "
    "3-D (Sutskever et al. 2014, Figure 2).",
)
runs = widgets.require_usable_runs()
draw_figure2 = controls.open_on_figure2(runs)  # Home's Reproduce Figure 2, or the first visit: no click

st.subheader("Models")
models = controls.model_choice(runs)
st.subheader("Sentences")
with shown_errors("reading the sentences", stop=True):
    sets = controls.sentence_sets()
st.subheader("Map")
options = controls.map_options(models)

if st.button("Draw the maps", type="primary", icon=":material/scatter_plot:") or draw_figure2:
    st.session_state[state.TV_RESULT] = None
    with shown_errors("computing the maps"):
        panels = [maps.compute_panel(s, [m.path for m in models], options) for s in sets]
        st.session_state[state.TV_RESULT] = panels

panels = st.session_state[state.TV_RESULT]
if not panels:
    widgets.empty_hint("Draw the maps")
else:
    show_text, colour_by = controls.display_options(panels)
    for n, panel in enumerate(panels):
        controls.panel_header(panel)
        fig = controls.panel_map(panel, show_text, colour_by, key=f"tv_map_{n}")
        controls.panel_scores(panel)
        with st.expander("Cosine similarity heatmap"):
            controls.panel_similarity(panel, key=f"tv_heat_{n}")
        controls.panel_exports(panel, fig, colour_by, key=f"tv_export_{n}")

st.subheader("Trajectory")
st.caption(
    "The top layer's state after each token, in the order the encoder reads it (backwards for a "
    "reversed-source model); the last point is the sentence's vector. Two models are aligned by Procrustes."
)
text = st.text_area(
    "Sentences to trace (one per line, at most 8)", "John admires Mary\nMary admires John", key="tv_traj_text"
)
if st.button("Trace", icon=":material/timeline:"):
    st.session_state[state.TV_TRAJECTORY] = None  # a failed trace must not leave the previous sentences' map
    with shown_errors("tracing the encoder"):
        traced = maps.trajectory_maps(
            [m.path for m in models], maps.trajectory_sentences(text), options.method
        )
        st.session_state[state.TV_TRAJECTORY] = traced
if not st.session_state[state.TV_TRAJECTORY]:
    widgets.empty_hint("Trace")
else:
    controls.trajectories(st.session_state[state.TV_TRAJECTORY], key="tv_traj")
