"""Checkpoints: weights in safetensors (never pickle), resume state in state.pt loaded with
`weights_only=True`. Both carry the step, so a mismatched pair is refused."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save_file
from torch import nn

from core import atomic
from core.errors import UserError
from core.run.folder import STATE, WEIGHTS
from core.training.trainer import Position


def unwrap(model: nn.Module) -> nn.Module:
    """The plain model inside a DistributedDataParallel wrapper."""
    return getattr(model, "module", model)


def save_weights(model: nn.Module, path: Path, step: int) -> None:
    tensors = {k: v.detach().cpu().contiguous() for k, v in unwrap(model).state_dict().items()}
    atomic.write_with(path, lambda tmp: save_file(tensors, str(tmp), metadata={"step": str(step)}))


def load_weights(model: nn.Module, path: Path) -> int:
    """Load weights into `model`; returns the step they were saved at."""
    try:
        tensors = load_file(str(path))

        with safe_open(str(path), framework="pt") as f:
            step = int((f.metadata() or {}).get("step", 0))
    except (SafetensorError, OSError, ValueError) as err:
        raise UserError(f"{path} is not a readable safetensors file ({err})") from err
    try:
        unwrap(model).load_state_dict(tensors)
    except RuntimeError as err:  # PyTorch lists every mismatch on its own line: keep the first
        lines = [line.strip() for line in str(err).splitlines() if line.strip()] or ["no detail"]
        detail = lines[1] if len(lines) > 1 else lines[0]
        raise UserError(f"the weights in {path} do not fit the model in config.json ({detail})") from err
    return step


def save_checkpoint(run: Path, model: nn.Module, optimizer: torch.optim.Optimizer, pos: Position) -> None:
    state = {
        "step": pos.step,
        "epoch": pos.epoch,
        "batch_in_epoch": pos.batch_in_epoch,
        "optimizer": optimizer.state_dict(),
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }
    atomic.write_with(run / STATE, lambda tmp: torch.save(state, tmp))
    save_weights(model, run / WEIGHTS, pos.step)


def load_checkpoint(run: Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> Position:
    """Restore weights, optimizer and RNG state; returns the position to continue from."""
    if not (run / STATE).is_file():
        raise UserError(f"run {run} has no {STATE}: it cannot be resumed (start a new run)")
    try:
        state = torch.load(run / STATE, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises several types for a damaged file
        raise UserError(f"{run / STATE} is damaged ({err}): the run cannot be resumed") from err
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
