"""Run folders: one folder per training run, and how to read them.

A run folder holds (docs/ARCHITECTURE.md):
  config.json         model, tokenizer, training and data settings
  model.safetensors   the weights (never pickle)
  src.* / tgt.*       the tokenizer files
  metrics.jsonl       one JSON object per line: {"kind": "train"|"dev"|"probe", "step": ..., ...}
  state.pt            optimizer, schedule, RNG and data position for an exact resume
  status.json         how training stands: state, step, total_steps, pid, ... (core.run.status)
Every write is atomic (core.atomic), so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from core import atomic
from core.errors import UserError

CONFIG = "config.json"
WEIGHTS = "model.safetensors"
STATE = "state.pt"
NEXT_STATE = "state.next.pt"  # only between a checkpoint's two writes (core.training.checkpoint)
METRICS = "metrics.jsonl"
STATUS = "status.json"

RUNS_DIR_ENV = "S2S_RUNS_DIR"  # the app's runs folder, if not ./runs


def runs_dir() -> Path:
    """The folder the app lists runs from: $S2S_RUNS_DIR, else ./runs."""
    return Path(os.environ.get(RUNS_DIR_ENV, "runs")).resolve()


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


def file_version(d, where: str, newest: int) -> int:
    """The version of a run file's JSON object (1 when it has none: written before versions),
    or a UserError naming `where` for what is not an object or is newer than this release reads."""
    if not isinstance(d, dict):
        raise UserError(f"{where} is damaged: it does not hold a JSON object")
    version = d.get("version", 1)
    if not isinstance(version, int) or version > newest:
        raise UserError(
            f"{where} has version {version!r}, newer than this release reads ({newest}): "
            "upgrade Seq2Seq Explorer"
        )
    return version


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


def truncate_metrics(run: str | Path, step: int) -> None:
    """Keep the metrics.jsonl records up to `step` (a resumed run rewrites those after it)."""
    path = Path(run) / METRICS
    if path.exists():
        kept = [r for r in read_metrics(run) if r.get("step", 0) <= step]
        atomic.write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept))
