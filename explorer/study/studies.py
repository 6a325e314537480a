"""Studies from the app: the study folders, their runs (and SLURM jobs), the report and its
figures. No Streamlit here: unit-testable. A new study's command is explorer.study.command's.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from core.errors import UserError
from core.run.demo import demo_studies_dir, is_demo
from core.run.folder import CONFIG
from core.run.listing import run_info
from core.study import slurm_launcher
from core.study.layout import REPORT_HTML, REPORT_JSON, STUDY, StudySpec, read_study, run_folder

if TYPE_CHECKING:  # its sections import torch: read_report loads them, after the page's controls
    import plotly.graph_objects as go

    from core.study.report_file import Report

STUDIES_DIR_ENV = "S2S_STUDIES_DIR"
LIVE_JOB_STATES = slurm_launcher.slurm_cluster.LIVE  # a SLURM job in one of these will still run
RESUME_HELP = "finished runs are not retrained; an interrupted run continues from its checkpoint"


def studies_dir() -> Path:
    """Where the app keeps studies: $S2S_STUDIES_DIR, else ./studies."""
    return Path(os.environ.get(STUDIES_DIR_ENV, "studies")).resolve()


@dataclass(frozen=True)
class StudyInfo:
    path: Path
    spec: StudySpec
    runs: dict[str, str]  # run name -> state (new | running | stopped | finished | failed)
    has_report: bool
    demo: bool = False  # shipped in demo/studies (core.run.demo): its report only, read-only

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def finished(self) -> int:
        return sum(state == "finished" for state in self.runs.values())

    def describe(self) -> str:
        """One line: the study's settings and how many of its runs finished."""
        spec = self.spec
        settings = (
            f"data {spec.data} · preset {spec.preset} · arms {', '.join(spec.arms)} · seeds {spec.seeds}"
        )
        done = f"{self.finished}/{len(self.runs)} runs finished"
        return f"{settings} · steps {spec.steps or 'the preset'} · {done}"


def study_info(folder: Path) -> StudyInfo:
    """A study folder's spec and the state of each of its runs (UserError if it is not one)."""
    spec = read_study(folder)
    demo = is_demo(folder)
    runs = {}
    for arm, seed in spec.runs():
        run = run_folder(folder, arm, seed)
        runs[run.name] = run_info(run).state if (run / CONFIG).is_file() else "new"
    if demo:  # its runs are not shipped: they were trained, the report says how they did
        runs = dict.fromkeys(runs, "finished")
    return StudyInfo(folder, spec, runs, (folder / REPORT_JSON).is_file(), demo)


def list_studies(root: Path | None = None) -> list[StudyInfo]:
    """Every study folder directly under `root` (default studies_dir()), by name; damaged ones left out."""
    root = root or studies_dir()
    if not root.is_dir():
        return []
    found = []
    for child in sorted(root.iterdir()):
        if child.is_dir() and (child / STUDY).is_file():
            try:
                found.append(study_info(child))
            except UserError:
                continue
    return found


def offered_studies(root: Path | None = None, demo: bool = True) -> list[StudyInfo]:
    """The user's studies (by name), then, with `demo`, the shipped demo studies whose name no
    study of the user's takes."""
    own = list_studies(root)
    if not demo:
        return own
    taken = {s.name for s in own}
    return own + [s for s in list_studies(demo_studies_dir()) if s.name not in taken]


def slurm_available() -> bool:
    """SLURM's sbatch is on this machine's PATH: the page offers --launcher slurm."""
    return shutil.which("sbatch") is not None


def runs_frame(info: StudyInfo) -> pd.DataFrame:
    """Each run of the study and its state; for a SLURM study with its job id and SLURM's state of
    that job (the "job state" column)."""
    if not slurm_launcher.is_slurm_study(info.path):
        return pd.DataFrame({"run": list(info.runs), "state": list(info.runs.values())})
    if not shutil.which("squeue"):
        rows = [(run, state, None, "no SLURM here") for run, state in info.runs.items()]
    else:
        jobs = slurm_launcher.run_jobs(info.path, info.spec)
        rows = [(r.run, info.runs.get(r.run, r.progress), r.job_id, r.job_state) for r in jobs]
    return pd.DataFrame(rows, columns=["run", "state", "job", "job state"])


def has_live_jobs(runs: pd.DataFrame) -> bool:
    """A SLURM job of the study is queued or running (runs_frame's)."""
    return "job state" in runs and bool(runs["job state"].isin(LIVE_JOB_STATES).any())


def cancel_jobs(info: StudyInfo) -> int:
    """scancel the study's queued and running jobs (each trainer checkpoints); how many."""
    return len(slurm_launcher.cancel(info.path, info.spec))


def read_report(study: Path) -> Report:
    """The study's report.json (a UserError, one line, when it is missing, damaged or older)."""
    from core.study.report_file import Report

    return Report.read(study)


def figures(report: Report) -> list[tuple[str, go.Figure]]:
    """The report's figures (core.render.study, the same as report.html's), titled."""
    from core.render.study import figures as report_figures  # torch: after the page's controls

    return report_figures(report)


def report_html(study: Path) -> bytes:
    return (study / REPORT_HTML).read_bytes()
