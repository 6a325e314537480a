"""The runs table: what the app and the CLI show about each run folder under the runs folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.errors import UserError
from core.run.config import RunConfig
from core.run.demo import is_demo
from core.run.folder import CONFIG, read_metrics, runs_dir
from core.run.lock import is_locked
from core.run.status import read_status


@dataclass(frozen=True)
class RunInfo:
    """What a runs table shows about one run folder."""

    path: Path
    name: str
    state: str  # running | finished | failed | stopped
    step: int
    total_steps: int
    reverse_source: bool
    layers: int  # LSTM layers (the thought vector has one state per layer)
    data: str
    dev_ppl: float | None
    dev_bleu: float | None
    message: str
    updated: float
    demo: bool = False  # shipped in demo/ (core.run.demo): read-only


def run_info(run: Path) -> RunInfo:
    config = RunConfig.read(run)
    status = read_status(run)
    state, message = status.state, status.message
    if state == "running" and not is_locked(run):  # the lock, never a PID, says a trainer is alive
        state, message = "stopped", "the training process ended without a final status (killed?): resume it"
    dev = read_metrics(run, "dev")
    last_dev = dev[-1] if dev else {}
    return RunInfo(
        path=run,
        name=run.name,
        state=state,
        step=status.step,
        total_steps=status.total_steps,
        reverse_source=config.model.reverse_source,
        layers=config.model.layers,
        data=config.data.spec,
        dev_ppl=last_dev.get("ppl"),
        dev_bleu=last_dev.get("bleu"),
        message=message,
        updated=status.updated,
        demo=is_demo(run),
    )


def list_runs(root: str | Path | None = None) -> list[RunInfo]:
    """Every run folder directly under `root` (default `runs_dir()`), newest first."""
    root = Path(root) if root is not None else runs_dir()
    if not root.is_dir():
        return []
    runs = []
    for child in root.iterdir():
        if child.is_dir() and not child.name.startswith(".") and (child / CONFIG).is_file():
            try:
                runs.append(run_info(child))
            except UserError:
                continue  # a damaged folder is not a run; the user sees the others
    return sorted(runs, key=lambda r: r.updated, reverse=True)
