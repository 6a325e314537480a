"""--deterministic: a GPU run's kernels chosen for repeatable bits (the CPU's are already)."""

import os

import pytest
import torch

from core.cli import main
from core.device import CUBLAS_WORKSPACE, set_kernels
from core.run.config import RunConfig
from tests.helpers.cli import TINY
from tests.helpers.toy import NUMBERS_TSV


@pytest.fixture
def kernel_flags(monkeypatch):
    """Put PyTorch's global kernel choices back as they were."""
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    before = (
        torch.backends.cudnn.benchmark,
        torch.backends.cudnn.deterministic,
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
    )
    yield
    torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic = before[:2]
    torch.use_deterministic_algorithms(before[2], warn_only=before[3])


def flags() -> tuple[bool, bool, bool]:
    return (
        torch.backends.cudnn.benchmark,
        torch.backends.cudnn.deterministic,
        torch.are_deterministic_algorithms_enabled(),
    )


def test_a_gpu_run_autotunes_unless_deterministic_and_the_cpu_is_left_alone(kernel_flags, monkeypatch):
    before = flags()
    set_kernels(torch.device("cpu"), deterministic=True)
    assert flags() == before
    set_kernels(torch.device("cuda"), deterministic=False)  # the flags need no GPU to be set
    assert flags() == (True, False, before[2])
    set_kernels(torch.device("cuda"), deterministic=True)
    assert flags() == (False, True, True) and torch.is_deterministic_algorithms_warn_only_enabled()
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == CUBLAS_WORKSPACE


def test_the_flag_is_a_declared_training_option_kept_in_config_json(tmp_path):
    out = tmp_path / "run"
    assert (
        main(
            [
                "train",
                "--data",
                str(NUMBERS_TSV),
                "--out",
                str(out),
                "--steps",
                "2",
                *TINY,
                "--no-probes",
                "--no-progress",
                "--deterministic",
            ]
        )
        == 0
    )
    assert RunConfig.read(out).train.deterministic is True
