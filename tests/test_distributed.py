"""DistributedDataParallel through torchrun, on CPU with gloo (the GPU path uses NCCL)."""

import json
import math
import os
import subprocess
import sys

import pytest

from core.run import folder as runs
from tests.helpers import ROOT
from tests.helpers.toy import NUMBERS_TSV

pytestmark = pytest.mark.slow


def test_torchrun_two_processes_train_one_run(tmp_path):
    out = tmp_path / "ddp"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--standalone",
           "-m", "core", "train", "--data", str(NUMBERS_TSV), "--out", str(out), "--preset", "tiny",
           "--tokenizer", "word", "--steps", "20", "--eval-every", "10", "--device", "cpu", "--no-progress"]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    status = json.loads((out / "status.json").read_text())
    assert (status["state"], status["step"], status["world_size"]) == ("finished", 20, 2)
    assert [r["step"] for r in runs.read_metrics(out, "dev")] == [10, 20]  # rank 0 alone writes
    # each process takes every second batch, so an epoch has half the steps of a single process
    steps_per_epoch = math.ceil(status["n_train"] / 32) // 2
    assert runs.read_metrics(out, "train")[-1]["epoch"] == round(20 / steps_per_epoch, 4)
