"""Seq2Seq Explorer: the entrypoint and Home page (`streamlit run Home.py`).

Streamlit names the first sidebar entry after this file, so it reads Home. Its title, the guide
and the controls are drawn before anything heavy is imported; the estimate of Reproduce Figure 2
(a few timed training steps: torch) fills its place last.
"""

import streamlit as st

from explorer import cache, jobs, state, widgets
from explorer.home import first_visit
from explorer.home.figure2_estimate import figure2_estimate, timing_inputs
from explorer.home.figure2_monitor import figure2_monitor
from explorer.home.runs_table import runs_overview
from explorer.messages import shown_errors
from explorer.offered_runs import demo_runs

widgets.page("Seq2Seq Explorer", ":material/hub:")
st.markdown(
    "Train deep LSTM encoder-decoders (Sutskever, Vinyals & Le, 2014), with and without the "
    "source-reversal trick.  \nTranslate with beam search and compare models side by side.  \n"
    "Project the encoder's single *thought vector* to see what it keeps: meaning across "
    "active/passive voice, and word order."
)
if st.session_state[state.OPEN_FIGURE2]:  # set by the Figure 2 monitor when both runs finished
    st.session_state[state.OPEN_FIGURE2] = False
    st.session_state[state.TV_DRAW_FIGURE2] = True
    st.switch_page(widgets.PAGES["vectors"])

root = widgets.runs_dir()
show_demo = bool(st.session_state[state.SHOW_DEMO])
demo = demo_runs()
if show_demo and demo:
    first_visit.guide(demo)

st.subheader("Runs")
runs_overview(
    root,
    empty=f"No runs yet in `{root}`. Press **Reproduce Figure 2** below to train your own pair "
    f"(command line: `s2s train --data grammar --out {root}/rev --preset fast`).",
    waiting=bool(st.session_state[state.FIGURE2]),
    demo=show_demo,
)

st.subheader("Reproduce Figure 2")
st.markdown(
    "Trains your own forward and reversed model (preset *fast*, same seed) on the built-in English → "
    "French corpus in the background, each until its dev BLEU has stopped rising, then opens **Thought "
    "Vectors** on "
    "the paper's two phrase sets. Closing this tab does not stop the training."
)
estimate_slot = st.empty()  # filled last: timing steps loads torch
forward, reversed_ = jobs.figure2_paths(root)
if st.button("Reproduce Figure 2", type="primary", icon=":material/play_arrow:"):
    processes = cache.training_processes()
    with shown_errors("starting the Figure 2 runs"):
        states = {p: processes.job_state(p).state for p in (forward, reversed_)}
        if all(s == "finished" for s in states.values()):
            st.session_state[state.TV_DRAW_FIGURE2] = True
            st.switch_page(widgets.PAGES["vectors"])
        for run, job in states.items():
            if job in ("stopped", "failed") and jobs.can_resume(run):
                processes.resume(run)
        processes.start_figure2(root)
        st.session_state[state.FIGURE2] = True
        st.rerun()  # the runs table above follows the new runs from now on
if st.session_state[state.FIGURE2] or forward.exists() or reversed_.exists():
    figure2_monitor(root, expected_steps=max((r.step for r in demo), default=None))
with shown_errors("timing a few training steps"):
    inputs = timing_inputs(demo)
    seconds = cache.figure2_seconds_per_step(inputs.preset, inputs.src_vocab, inputs.tgt_vocab)
    estimate_slot.markdown(figure2_estimate(seconds, demo, inputs.cap).describe(measured=bool(demo)))
widgets.device_caption()
