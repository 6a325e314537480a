"""Train: configure a run, start it in the background, follow its curves, stop and resume it."""

import streamlit as st

from explorer import cache, jobs, state, widgets
from explorer.messages import shown_errors
from explorer.train import form, monitor
from explorer.train.command import train_argv
from explorer.train.follow import follow, followed_run

widgets.page(
    "Train",
    ":material/model_training:",
    "Training runs in its own process (`s2s train`): closing the tab or reloading the page does not stop it.",
)
widgets.device_caption()
root = widgets.runs_dir()
processes = cache.training_processes()

st.subheader("New run")
data = form.data_choice(st.session_state[state.DATA_SPEC])
name, options = form.options_form(data, root)
with st.expander("Command line"), shown_errors("building the command"):
    st.code("s2s " + " ".join(train_argv(options, root / (name or "NAME"))), language="bash")
start_col, twin_col = st.columns(2)
if start_col.button("Start training", type="primary", icon=":material/play_arrow:"):
    with shown_errors("starting the training"):
        run = jobs.check_new_run(name, root)
        processes.start(options, run)
        st.session_state[state.JOBS][run.name] = str(run)
        follow(run.name)
        st.toast(f"Started {run.name}")
if twin_col.button(
    "Start twin runs (reversed and forward, same seed)",
    icon=":material/compare_arrows:",
    help=f"{name}-rev and {name}-fwd: the same configuration and seed, the source reversed or not",
):
    with shown_errors("starting the twin runs"):
        for run in processes.start_twins(options, name, root):
            st.session_state[state.JOBS][run.name] = str(run)
        follow(f"{name}-rev")
        st.toast(f"Started {name}-rev and {name}-fwd")

st.subheader("Follow a run")
paths = {r.name: r.path for r in widgets.all_runs(root)}  # the user's runs, then the demo runs
paths.update({name: root / name for name in st.session_state[state.JOBS] if name not in paths})
if not paths:
    st.info("No runs yet: press **Start training** above.", icon=":material/model_training:")
else:
    chosen = followed_run(list(paths))
    monitor.training_monitor(paths[chosen])
