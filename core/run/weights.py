"""model.safetensors: a run's weights, with the step they were saved at in the metadata.

The only reader and writer of the weights file. Never pickle: safetensors holds tensors and
strings only, so loading a run folder from elsewhere cannot run code.
"""

from __future__ import annotations

from pathlib import Path

from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save_file
from torch import nn

from core import atomic
from core.errors import UserError


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


def weights_step(path: Path) -> int | None:
    """The step a safetensors file was saved at, or None if it cannot be read."""
    try:
        with safe_open(str(path), framework="pt") as f:
            return int((f.metadata() or {}).get("step", 0))
    except (SafetensorError, OSError, ValueError):
        return None
