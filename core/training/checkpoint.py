"""Checkpoints: weights in safetensors (never pickle), resume state in state.pt loaded with
`weights_only=True`. Both carry the step, so a mismatched pair is refused.

A checkpoint is two files, and a process can be killed between any two writes, so they are
committed in an order that always leaves a consistent pair (tests/test_crash.py kills a trainer at
random moments to prove it):
  1. the new resume state goes to state.next.pt (atomically);
  2. the new weights replace model.safetensors (atomically): the commit point;
  3. state.next.pt replaces state.pt.
Killed before 2: the old pair stands (state.next.pt is stale and dropped). Killed between 2 and 3:
the weights and state.next.pt are of the same step, and loading finishes step 3. A kill inside a
write leaves its temp file (.NAME.*.tmp), which the next load removes.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn

from core import atomic
from core.errors import UserError
from core.run.folder import METRICS, NEXT_STATE, STATE, STATUS, WEIGHTS
from core.run.weights import load_weights, save_weights, weights_step
from core.training.trainer import Position


def save_checkpoint(run: Path, model: nn.Module, optimizer: torch.optim.Optimizer, pos: Position) -> None:
    state = {
        "step": pos.step,
        "epoch": pos.epoch,
        "batch_in_epoch": pos.batch_in_epoch,
        "optimizer": optimizer.state_dict(),
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }
    atomic.write_with(run / NEXT_STATE, lambda tmp: _save_state(state, tmp))
    save_weights(model, run / WEIGHTS, pos.step)
    os.replace(run / NEXT_STATE, run / STATE)


def _save_state(state: dict, path: Path) -> None:
    """torch.save through a Python file: on a full disk the OSError (ENOSPC) stays in the error's
    context, where core.atomic finds it; saved to a path, torch reports only "unexpected pos"."""
    with open(path, "wb") as f:
        torch.save(state, f)


def _state_step(path: Path) -> int | None:
    try:
        return int(torch.load(path, map_location="cpu", weights_only=True)["step"])
    except Exception:  # a torn or damaged file: not a checkpoint
        return None


def finish_checkpoint(run: Path) -> None:
    """Complete a checkpoint that a killed process left between its writes (see the module), and
    remove the temp files of the writes it was killed inside."""
    atomic.remove_stale_temps(run, (NEXT_STATE, WEIGHTS, STATE, STATUS, METRICS))
    pending = run / NEXT_STATE
    if not pending.exists():
        return
    if _state_step(pending) is not None and _state_step(pending) == weights_step(run / WEIGHTS):
        os.replace(pending, run / STATE)  # the weights were committed: so is their state
    else:
        pending.unlink(missing_ok=True)  # the weights were not: the old pair stands


def _read_state(run: Path, mmap: bool = False) -> dict:
    """state.pt, after finishing an interrupted checkpoint (a UserError if there is none to resume)."""
    finish_checkpoint(run)
    if not (run / STATE).is_file():
        raise UserError(f"run {run} has no {STATE}: it cannot be resumed (start a new run)")
    try:
        return torch.load(run / STATE, map_location="cpu", weights_only=True, mmap=mmap)
    except Exception as err:  # torch raises several types for a damaged file
        raise UserError(f"{run / STATE} is damaged ({err}): the run cannot be resumed") from err


def checkpoint_position(run: Path) -> Position:
    """Where the run's last checkpoint stands (state.pt memory-mapped: the optimizer state stays on disk)."""
    state = _read_state(run, mmap=True)
    return Position(state["step"], state["epoch"], state["batch_in_epoch"])


def load_checkpoint(run: Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> Position:
    """Restore weights, optimizer and RNG state; returns the position to continue from."""
    state = _read_state(run)
    step = load_weights(model, run / WEIGHTS)
    if step != state["step"]:
        raise UserError(
            f"{run}: weights are from step {step} but the resume state from step {state['step']}: "
            "the last checkpoint was interrupted; start a new run"
        )
    optimizer.load_state_dict(state["optimizer"])
    torch.set_rng_state(state["torch_rng"])
    if state["cuda_rng"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    return Position(state["step"], state["epoch"], state["batch_in_epoch"])
