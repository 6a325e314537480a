"""Choosing the device, naming it, and checking that a model fits before allocating it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from core.errors import UserError

if TYPE_CHECKING:  # torch is imported by the functions that use it: DEVICES is read by the app's first paint
    import torch

DEVICES = ("auto", "cpu", "cuda")


def pick_device(name: str = "auto", local_rank: int = 0) -> torch.device:
    """ "auto": the GPU when there is one, else the CPU. "cuda" without a GPU is a user error."""
    import torch

    if name not in DEVICES and not name.startswith("cuda:"):
        raise UserError(f"unknown device {name!r}: use auto, cpu or cuda")
    if name == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():
        # srun --gpus-per-task shows each task its own GPU only: the local rank counts past it
        return torch.device(
            name if name.startswith("cuda:") else f"cuda:{local_rank % torch.cuda.device_count()}"
        )
    if name == "auto":
        return torch.device("cpu")
    raise UserError("--device cuda was asked for, but PyTorch sees no GPU here: use --device cpu or auto")


CUBLAS_WORKSPACE = ":4096:8"  # what cuBLAS needs to be deterministic (CUDA's documentation)


def set_kernels(device: torch.device, deterministic: bool) -> None:
    """On a GPU: cuDNN autotuning (fastest, but the kernels it picks, and so the last bits, can
    change from run to run), or with `deterministic` deterministic cuDNN and PyTorch kernels
    (an op without one warns instead of failing). The CPU needs neither."""
    import torch

    if device.type != "cuda":
        return
    torch.backends.cudnn.benchmark = not deterministic
    torch.backends.cudnn.deterministic = deterministic
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", CUBLAS_WORKSPACE)  # before the first GEMM
        torch.use_deterministic_algorithms(True, warn_only=True)


def describe(device: torch.device) -> str:
    import torch

    if device.type == "cuda":
        return f"{device} ({torch.cuda.get_device_name(device)})"
    return f"cpu ({torch.get_num_threads()} threads)"


def available_bytes(device: torch.device) -> int | None:
    """Free memory on the device, or None where it cannot be read."""
    import torch

    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        return int(free)
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_fits(
    n_params: int, optimizer: str, device: torch.device, batch_tokens: int, hidden: int, layers: int
) -> int:
    """Raise UserError if training clearly cannot fit; returns the estimate in bytes.

    Estimate: float32 weights + gradients (+ 2 Adam moments, or 1 SGD buffer) and the LSTM
    activations kept for backward (about 12 floats per cell per token per layer, both sides).
    """
    copies = 4 if optimizer == "adam" else 3
    activations = batch_tokens * hidden * layers * 12 * 2
    need = 4 * (n_params * copies + activations)
    free = available_bytes(device)
    if free is not None and need > free:
        raise UserError(
            f"the model does not fit in memory: training needs about {need / 2**30:.1f} GiB but "
            f"{device.type} has {free / 2**30:.1f} GiB free. Use a smaller preset, --hidden, --layers, "
            "--vocab-size or --batch-size"
        )
    return need


def does_not_fit(device: torch.device, step: int | None = None) -> str:
    """The one message for a model, or a training step, that ran out of memory on `device`."""
    when = "" if step is None else f" (out of memory at step {step})"
    return (
        f"the model does not fit in memory on {describe(device)}{when}: use a smaller --batch-size, "
        "--hidden, --layers, --vocab-size or preset"
    )


def is_out_of_memory(err: BaseException) -> bool:
    import torch

    text = str(err)
    return (
        isinstance(err, torch.cuda.OutOfMemoryError)
        or "out of memory" in text
        or "can't allocate memory" in text
    )
