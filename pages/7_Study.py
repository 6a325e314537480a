"""Study: train arms x seeds in the background (`s2s study`), follow the runs, read the report."""

import streamlit as st

from explorer import cache, state, widgets
from explorer.messages import shown_errors
from explorer.study import studies

widgets.page(
    "Study",
    ":material/science:",
    "One comparison, several seeds: every arm (forward, reversed, reversed + attention) is trained "
    "with the same data order and budget for each seed, and the report gives intervals over seeds.",
)
root = studies.studies_dir()
processes = cache.training_processes()
presets = studies.preset_names()

st.subheader("New study")
cols = st.columns([2, 2, 1])
name = cols[0].text_input("Study name", value="reversal", key="study_name", help=f"the folder under {root}")
data = cols[1].text_input("Data", value=st.session_state[state.DATA_SPEC], key="study_data",
                          help="grammar[:N], a TSV file, a folder with train.tsv/dev.tsv, or SRC,TGT")  # fmt: skip
preset = cols[2].selectbox("Preset", presets, index=presets.index("tiny"), key="study_preset")
cols = st.columns([3, 1, 1, 1])
arms = cols[0].multiselect("Arms", list(studies.ARMS), default=["forward", "reversed"], key="study_arms",
                           help="attention = reversed + Luong attention: the bottleneck against none")  # fmt: skip
seeds = cols[1].number_input(
    "Seeds", min_value=1, value=3, key="study_seeds", help="3 or more for an interval"
)
steps = cols[2].number_input("Steps (0: the preset's)", min_value=0, value=0, step=100, key="study_steps")
jobs = cols[3].number_input("Runs at once", min_value=1, value=1, key="study_jobs")
slurm = None
if studies.slurm_available():  # SLURM's commands are here: one job per run, or local processes
    cols = st.columns([2, 2, 1, 1])
    launcher = cols[0].radio(
        "Launcher",
        ["local", "slurm"],
        horizontal=True,
        key="study_launcher",
        help="slurm: each run one SLURM job of a job array; preempted jobs requeue and resume",
    )
    if launcher == "slurm":
        slurm = {
            "--partition": cols[1].text_input("Partition", key="study_partition", help="empty: the default"),
            "--cpus-per-job": cols[2].number_input("CPUs per job", min_value=1, value=1, key="study_cpus"),
            "--time": cols[3].text_input("Time limit", value="4:00:00", key="study_time"),
        }
with shown_errors("building the command"):
    folder = root / (name.strip() or "NAME")
    argv = studies.study_argv(folder, data, preset, arms, int(seeds), int(steps) or None, int(jobs), slurm)
    st.code("s2s " + " ".join(argv), language="bash")
    if st.button("Start the study", type="primary", icon=":material/play_arrow:"):
        processes.start_study(studies.check_new_study(name, root), argv)
        st.session_state[state.STUDY_OPEN] = name.strip()
        st.success(f"Study {name.strip()} started: its runs appear below as they train.")

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
spec = info.spec
st.caption(f"data {spec.data} · preset {spec.preset} · arms {', '.join(spec.arms)} · seeds {spec.seeds} · "
           f"steps {spec.steps or 'the preset'} · {info.finished}/{len(info.runs)} runs finished")  # fmt: skip
if info.demo:
    st.caption(
        f"{info.name} is a demo study shipped with the app: its report only (read-only; its runs are not "
        "shipped). Start your own above to train and compare the arms yourself."
    )
else:
    jobs = studies.slurm_jobs(info)  # None: a local study
    st.dataframe(
        jobs or [{"run": run, "state": s} for run, s in info.runs.items()], hide_index=True, width="stretch"
    )
    if jobs and any(j["job state"] in studies.LIVE_JOB_STATES for j in jobs):
        st.info(
            "Its SLURM jobs are queued or running: reload to follow them. Cancel stops each with a checkpoint."
        )
        if st.button("Cancel the jobs", icon=":material/cancel:", key="study_cancel"):
            with shown_errors("cancelling the jobs"):
                st.success(f"{studies.cancel_jobs(info)} jobs cancelled: Resume submits them again.")
    if processes.is_running(info.path):
        st.info(
            "The study is running: reload to follow it. Its runs are ordinary runs: Train follows each one."
        )
    elif st.button("Resume and write the report", icon=":material/refresh:",
                   help="finished runs are not retrained; an interrupted run continues from its checkpoint"):  # fmt: skip
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
st.download_button("Download report.html", studies.report_html(info.path), file_name=f"{info.name}-report.html",
                   mime="text/html", icon=":material/download:")  # fmt: skip
for i, (title, fig) in enumerate(studies.figures(report)):
    st.markdown(f"**{title}**")
    st.plotly_chart(fig, key=f"study_fig_{i}")
