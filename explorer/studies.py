"""Studies from the app: the study folders, their runs, `s2s study` command lines, the report's
figures. No Streamlit here: unit-testable. A study is started like a training run
(explorer.jobs.TrainingProcesses), as `python -m core study ...` in its own session.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from core.errors import UserError
from core.run.demo import demo_studies_dir, is_demo
from core.run.folder import CONFIG
from core.run.status import run_info
from core.study.arms import ARMS as ARMS  # the arms a study offers
from core.study.layout import REPORT_HTML, REPORT_JSON, STUDY, StudySpec, read_study, run_folder
from core.training.presets import PRESETS
from explorer.jobs import RUN_NAME

STUDIES_DIR_ENV = "S2S_STUDIES_DIR"


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


def preset_names() -> list[str]:
    return list(PRESETS)


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


def check_new_study(name: str, root: Path) -> Path:
    name = name.strip()
    if not RUN_NAME.match(name):
        raise UserError(f"study name {name!r} is not allowed: use letters, digits, '.', '_' or '-'")
    if (root / name).exists():
        raise UserError(f"a study called {name!r} exists already: open it below, or pick another name")
    return root / name


def study_argv(out: Path, data: str, preset: str, arms: list[str], seeds: int, steps: int | None,
               jobs: int) -> list[str]:  # fmt: skip
    """The `s2s study` arguments for a new study (`s2s study --out OUT` alone resumes one)."""
    unknown = [a for a in arms if a not in ARMS]
    if unknown or "forward" not in arms:
        raise UserError(f"arms must include forward (the reference), from {', '.join(ARMS)}")
    argv = ["study", "--out", str(out), "--data", data.strip(), "--preset", preset, "--arms", ",".join(arms),
            "--seeds", str(seeds), "--jobs", str(jobs)]  # fmt: skip
    return argv + (["--steps", str(steps)] if steps else [])


def read_report(study: Path) -> dict:
    try:
        return json.loads((study / REPORT_JSON).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise UserError(f"{study / REPORT_JSON} cannot be read ({err}): write the report again") from err


def figures(report: dict) -> list[tuple[str, go.Figure]]:
    """The report's figures (core.render.study, the same as report.html's), titled."""
    from core.render.study import figures as report_figures  # torch: after the page's controls

    return report_figures(report)


def report_html(study: Path) -> bytes:
    return (study / REPORT_HTML).read_bytes()
