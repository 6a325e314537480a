"""Run folders: one folder per training run, and how to read them.

A run folder holds (DESIGN.md):
  config.json         model, tokenizer, training and data settings
  model.safetensors   the weights (never pickle)
  src.* / tgt.*       the tokenizer files
  metrics.jsonl       one JSON object per line: {"kind": "train"|"dev", "step": ..., ...}
  state.pt            optimizer, schedule, RNG and data position for an exact resume
  status.json         {"state": running|finished|failed|stopped, "step", "total_steps", "pid", ...}
Every write is atomic (core.atomic), so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from core import atomic
from core.errors import UserError

CONFIG = "config.json"
WEIGHTS = "model.safetensors"
STATE = "state.pt"
METRICS = "metrics.jsonl"
STATUS = "status.json"

STATES = ("running", "finished", "failed", "stopped")


def runs_dir() -> Path:
    """The folder the app lists runs from: $S2S_RUNS_DIR, else ./runs."""
    return Path(os.environ.get("S2S_RUNS_DIR", "runs")).resolve()


def resolve_run(path: str | Path) -> Path:
    """Check that `path` is a run folder with weights; raise UserError saying what is wrong."""
    run = Path(path)
    if not run.exists():
        raise UserError(f"run folder {run} does not exist (train one with `s2s train --out {run}`)")
    if not (run / CONFIG).is_file():
        raise UserError(f"{run} is not a run folder: it has no {CONFIG}")
    if not (run / WEIGHTS).is_file():
        raise UserError(f"run {run} has no weights yet ({WEIGHTS}): wait for its first checkpoint")
    return run


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise UserError(f"{path} is not valid JSON ({err}): the run folder is damaged") from err


def write_status(run: Path, state: str, **fields) -> None:
    assert state in STATES, state
    old = read_json(run / STATUS)
    atomic.write_json(run / STATUS, {**old, **fields, "state": state, "updated": time.time()})


def read_metrics(run: str | Path, kind: str | None = None) -> list[dict]:
    """All records of metrics.jsonl (optionally only one kind); a torn last line is ignored."""
    records = []
    try:
        with open(Path(run) / METRICS, encoding="utf-8") as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # the writer may be mid-line; the next read gets it
                if kind is None or rec.get("kind") == kind:
                    records.append(rec)
    except FileNotFoundError:
        pass
    return records


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class RunInfo:
    """What a runs table shows about one run folder."""

    path: Path
    name: str
    state: str  # running | finished | failed | stopped
    step: int
    total_steps: int
    reverse_source: bool | None
    data: str
    dev_ppl: float | None
    dev_bleu: float | None
    message: str
    updated: float


def run_info(run: Path) -> RunInfo:
    config = read_json(run / CONFIG)
    status = read_json(run / STATUS)
    state = status.get("state", "stopped")
    message = status.get("message", "")
    if state == "running" and not pid_alive(status.get("pid")):
        state, message = "stopped", "the training process ended without a final status (killed?)"
    dev = read_metrics(run, "dev")
    last_dev = dev[-1] if dev else {}
    return RunInfo(
        path=run,
        name=run.name,
        state=state,
        step=int(status.get("step", 0)),
        total_steps=int(status.get("total_steps", 0)),
        reverse_source=config.get("model", {}).get("reverse_source"),
        data=str(config.get("data", {}).get("spec", "")),
        dev_ppl=last_dev.get("ppl"),
        dev_bleu=last_dev.get("bleu"),
        message=message,
        updated=float(status.get("updated", 0.0)),
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
