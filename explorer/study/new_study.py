"""The Study page's "New study" section: the settings, the extra probe suites (uploaded and
validated, or saved before), the `s2s study` command they make, and the button that starts it."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.study.arms import ARMS
from core.training.presets import PRESETS
from explorer import state
from explorer.corpora.upload import Upload
from explorer.jobs import TrainingProcesses
from explorer.messages import shown_errors
from explorer.study import suite_upload
from explorer.study.command import NewStudy, check_new_study
from explorer.study.studies import slurm_available

DATA_HELP = "grammar[:N], a TSV file, a folder with train.tsv/dev.tsv, or SRC,TGT"
ARMS_HELP = "attention = reversed + Luong attention: the bottleneck against none"
SUITES_HELP = (
    "TSV files (family, then one column per variant; docs/ARCHITECTURE.md, Probe suites), scored during "
    "training and in the report besides the standard built-in ones; each is checked when uploaded"
)
LAUNCHER_HELP = "slurm: each run one SLURM job of a job array; preempted jobs requeue and resume"


def _slurm() -> tuple[tuple[str, str], ...] | None:
    """With SLURM's commands on this machine: the launcher, and a SLURM job's resources."""
    if not slurm_available():
        return None
    cols = st.columns([2, 2, 1, 1])
    launcher = cols[0].radio(
        "Launcher", ["local", "slurm"], horizontal=True, key="study_launcher", help=LAUNCHER_HELP
    )
    if launcher != "slurm":
        return None
    partition = cols[1].text_input("Partition", key="study_partition", help="empty: the default")
    cpus = cols[2].number_input("CPUs per job", min_value=1, value=1, key="study_cpus")
    limit = cols[3].text_input("Time limit", value="4:00:00", key="study_time")
    return (("--partition", partition), ("--cpus-per-job", str(cpus)), ("--time", limit))


def _suites() -> tuple[list[Upload], list[str]]:
    """The probe suites uploaded now (not yet checked) and those chosen among the saved ones."""
    left, right = st.columns(2)
    files = left.file_uploader(
        "Probe suites (TSV)", accept_multiple_files=True, key="study_suite_files", help=SUITES_HELP
    )
    saved = {str(path): path.name for path in suite_upload.saved_suites()}
    chosen = right.multiselect(
        "Probe suites saved before", list(saved), format_func=saved.get, key="study_suites"
    )
    return [Upload(f.name, f.getvalue()) for f in files or []], chosen


def new_study(root: Path, processes: TrainingProcesses) -> None:
    """The form, its command, and Start: a bad setting or suite file is a message, and nothing starts."""
    cols = st.columns([2, 2, 1])
    name = cols[0].text_input(
        "Study name", value="reversal", key="study_name", help=f"the folder under {root}"
    )
    data = cols[1].text_input(
        "Data", value=st.session_state[state.DATA_SPEC], key="study_data", help=DATA_HELP
    )
    presets = list(PRESETS)
    preset = cols[2].selectbox("Preset", presets, index=presets.index("tiny"), key="study_preset")
    cols = st.columns([3, 1, 1, 1])
    default = ["forward", "reversed"]
    arms = cols[0].multiselect("Arms", list(ARMS), default=default, key="study_arms", help=ARMS_HELP)
    seeds = cols[1].number_input(
        "Seeds", min_value=1, value=3, key="study_seeds", help="3 or more for an interval"
    )
    steps = cols[2].number_input("Steps (0: the preset's)", min_value=0, value=0, step=100, key="study_steps")
    jobs = cols[3].number_input("Runs at once", min_value=1, value=1, key="study_jobs")
    uploads, chosen = _suites()
    slurm = _slurm()
    with shown_errors("building the command"):
        saved = [str(suite_upload.save_suite(upload)) for upload in uploads]  # each checked first
        study = NewStudy(
            out=root / (name.strip() or "NAME"),
            data=data,
            preset=preset,
            arms=tuple(arms),
            seeds=int(seeds),
            steps=int(steps) or None,
            jobs=int(jobs),
            probe_suites=tuple(dict.fromkeys([*saved, *chosen])),
            slurm=slurm,
        )
        argv = study.argv()
        st.code("s2s " + " ".join(argv), language="bash")
        if st.button("Start the study", type="primary", icon=":material/play_arrow:"):
            processes.start_study(check_new_study(name, root), argv)
            st.session_state[state.STUDY_OPEN] = name.strip()
            st.success(f"Study {name.strip()} started: its runs appear below as they train.")
