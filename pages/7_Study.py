"""Study: train arms x seeds in the background (`s2s study`), follow the runs, read the report."""

import streamlit as st

from explorer import cache, state, widgets
from explorer.messages import shown_errors
from explorer.study import studies
from explorer.study.new_study import new_study

widgets.page(
    "Study",
    ":material/science:",
    "One comparison, several seeds: every arm (forward, reversed, reversed + attention) is trained "
    "with the same data order and budget for each seed, and the report gives intervals over seeds.",
)
root = studies.studies_dir()
processes = cache.training_processes()
st.subheader("New study")
new_study(root, processes)

st.subheader("Studies")
found = studies.offered_studies(root, demo=st.session_state[state.SHOW_DEMO])
if not found:
    st.info(
        f"No studies yet in `{root}`: press **Start the study** above (the tiny preset takes minutes).",
        icon=":material/science:",
    )
    st.stop()
by_name = {s.name: s for s in found}
names = list(by_name)
chosen = st.session_state[state.STUDY_OPEN]
pick = st.selectbox(
    "Study",
    names,
    index=names.index(chosen) if chosen in names else 0,
    key="study_pick",
    format_func=lambda n: f"{n} (demo)" if by_name[n].demo else n,
)
st.session_state[state.STUDY_OPEN] = pick
info = by_name[pick]
st.caption(info.describe())
if info.demo:
    st.caption(
        f"{info.name} is a demo study shipped with the app: its report only (read-only; its runs are not "
        "shipped). Start your own above to train and compare the arms yourself."
    )
else:
    runs = studies.runs_frame(info)  # with their SLURM jobs for a SLURM study
    st.dataframe(runs, hide_index=True, width="stretch")
    if studies.has_live_jobs(runs):
        st.info(
            "Its SLURM jobs are queued or running: reload to follow them. Cancel stops each with a "
            "checkpoint."
        )
        if st.button("Cancel the jobs", icon=":material/cancel:", key="study_cancel"):
            with shown_errors("cancelling the jobs"):
                st.success(f"{studies.cancel_jobs(info)} jobs cancelled: Resume submits them again.")
    if processes.is_running(info.path):
        st.info(
            "The study is running: reload to follow it. Its runs are ordinary runs: Train follows each one."
        )
    elif st.button("Resume and write the report", icon=":material/refresh:", help=studies.RESUME_HELP):
        with shown_errors("resuming the study"):
            processes.start_study(info.path, ["study", "--out", str(info.path)])
            st.rerun()
if not info.has_report:
    st.stop()
with shown_errors("reading the report", stop=True):
    report = studies.read_report(info.path)
st.subheader("Summary")
for line in [*report.summary, *report.notes]:
    st.text(f"• {line}")  # computed from the numbers; shown literally (no markdown)
st.download_button(
    "Download report.html",
    studies.report_html(info.path),
    file_name=f"{info.name}-report.html",
    mime="text/html",
    icon=":material/download:",
)
for i, (title, fig) in enumerate(studies.figures(report)):
    st.markdown(f"**{title}**")
    st.plotly_chart(fig, key=f"study_fig_{i}")
