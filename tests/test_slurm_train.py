"""`s2s train` under `srun` with several tasks: DistributedDataParallel from SLURM's variables, as
under torchrun (the same weights, bit for bit), on the one-node cluster with gloo."""

import os
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from core.run.folder import STATUS, WEIGHTS, read_json, read_metrics
from core.training import distributed
from core.training.distributed import first_host, slurm_environment
from tests.helpers import ROOT
from tests.helpers.cli import TINY
from tests.helpers.slurm import slurm  # noqa: F401 (a fixture)
from tests.helpers.toy import NUMBERS_TSV

TRAIN = [
    "-m",
    "core",
    "train",
    "--data",
    str(NUMBERS_TSV),
    *TINY,
    "--steps",
    "20",
    "--eval-every",
    "10",
    "--device",
    "cpu",
    "--no-progress",
    "--no-probes",
]


def test_slurm_variables_become_torchruns():
    step = {
        "SLURM_PROCID": "1",
        "SLURM_STEP_NUM_TASKS": "4",
        "SLURM_LOCALID": "1",
        "SLURM_JOB_ID": "77",
        "SLURM_STEP_ID": "0",
        "SLURM_STEP_NODELIST": "n7",
        "SLURM_NTASKS": "4",
    }
    env = slurm_environment(step)
    assert {k: env[k] for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR")} == {
        "RANK": "1",
        "WORLD_SIZE": "4",
        "LOCAL_RANK": "1",
        "MASTER_ADDR": "n7",
    }
    assert env["MASTER_PORT"] == slurm_environment({**step, "SLURM_PROCID": "3"})["MASTER_PORT"]
    assert slurm_environment({**step, "WORLD_SIZE": "2"}) == {}  # torchrun set them already
    batch_script = {k: v for k, v in step.items() if not k.startswith("SLURM_STEP")}
    assert slurm_environment(batch_script) == {}  # sbatch -n 4 runs its script once: no step yet
    assert slurm_environment({**step, "SLURM_STEP_NUM_TASKS": "1"}) == {}  # a study's one-task job


def test_the_first_host_of_a_node_list_without_scontrol(monkeypatch):
    def absent(*args, **kw):
        raise FileNotFoundError("scontrol")

    monkeypatch.setattr(distributed.subprocess, "run", absent)
    assert (
        first_host("gpu[03-05,07],cpu1") == "gpu03" and first_host("a,b") == "a" and first_host("n1") == "n1"
    )


def weights(run):
    return load_file(run / WEIGHTS)


@pytest.mark.slow
def test_srun_two_tasks_train_one_run_as_torchrun_does(slurm, tmp_path):  # noqa: F811
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    under_srun, under_torchrun = tmp_path / "srun", tmp_path / "torchrun"
    srun = [
        "srun",
        "--ntasks",
        "2",
        "--cpus-per-task",
        "1",
        "--mem",
        "2G",
        "--time",
        "10",
        "--partition",
        slurm,
        "--kill-on-bad-exit",
        sys.executable,
        *TRAIN,
        "--out",
        str(under_srun),
    ]
    done = subprocess.run(srun, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    status = read_json(under_srun / STATUS)
    assert (status["state"], status["step"], status["world_size"]) == ("finished", 20, 2)
    assert [r["step"] for r in read_metrics(under_srun, "dev")] == [10, 20]  # rank 0 alone writes
    torchrun = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node",
        "2",
        "--standalone",
        *TRAIN[1:],
        "--out",
        str(under_torchrun),
    ]
    done = subprocess.run(torchrun, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    a, b = weights(under_srun), weights(under_torchrun)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
