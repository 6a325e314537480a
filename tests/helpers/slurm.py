"""The SLURM cluster the slurm tests run against: the one-node cluster of scripts/slurm_cluster.sh
(.ci/run starts it). They skip, saying why, only where there is no sbatch at all; an sbatch whose
cluster does not answer is a failure."""

from __future__ import annotations

import shutil
import subprocess

import pytest

NO_SBATCH = "no sbatch on PATH: SLURM is not installed here (`bash scripts/slurm_cluster.sh` starts a one-node cluster)"


@pytest.fixture(scope="session")
def slurm() -> str:
    """The default partition of the cluster, which answers."""
    if shutil.which("sbatch") is None:
        pytest.skip(NO_SBATCH)
    answer = subprocess.run(["sinfo", "-h", "-o", "%P %a"], capture_output=True, text=True, timeout=30)
    assert answer.returncode == 0, f"sbatch is here but the cluster does not answer: {answer.stderr.strip()}"
    partitions = [line.split()[0] for line in answer.stdout.splitlines() if line.split()[1:] == ["up"]]
    assert partitions, f"no partition is up: {answer.stdout}"
    default = [p for p in partitions if p.endswith("*")]
    return (default or partitions)[0].rstrip("*")
