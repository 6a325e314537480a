"""Several processes with DistributedDataParallel: `torchrun --nproc_per_node=K -m core train ...`,
or `srun --ntasks=K s2s train ...` on a SLURM cluster (one task per GPU, on one node or several).

Under srun, SLURM's variables (SLURM_PROCID, SLURM_STEP_NUM_TASKS, SLURM_LOCALID, the step's node
list and job id) give what torchrun would have set: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR (the
step's first node) and MASTER_PORT (from the job and step ids, the same in every task). NCCL on
GPUs, gloo on CPUs (which is how the tests run both). Rank 0 alone writes the run folder.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistInfo:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0


PORT_BASE, PORT_SPAN = 20000, 20000  # MASTER_PORT under srun: PORT_BASE + (job, step) mod PORT_SPAN


def first_host(nodelist: str) -> str:
    """The first host of a SLURM node list ("gpu[03-05,07],cpu1" -> "gpu03"), as `scontrol show
    hostnames` would say; read here when scontrol is not at hand."""
    try:
        shown = subprocess.run(
            ["scontrol", "show", "hostnames", nodelist],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.split()
        if shown:
            return shown[0]
    except (OSError, subprocess.SubprocessError):
        pass
    match = re.match(r"([^,\[]+)(?:\[([^\],-]+))?", nodelist)
    return match.group(1) + (match.group(2) or "") if match else nodelist


def slurm_environment(env: Mapping[str, str]) -> dict[str, str]:
    """torchrun's variables from SLURM's, inside an srun step of several tasks; {} elsewhere (under
    torchrun, which set them, in a batch script, or in a one-task step such as a study's job)."""
    if "WORLD_SIZE" in env or int(env.get("SLURM_STEP_NUM_TASKS", "1")) <= 1 or "SLURM_PROCID" not in env:
        return {}
    job, step = int(env.get("SLURM_JOB_ID", "0")), int(env.get("SLURM_STEP_ID", "0"))
    return {
        "RANK": env["SLURM_PROCID"],
        "WORLD_SIZE": env["SLURM_STEP_NUM_TASKS"],
        "LOCAL_RANK": env.get("SLURM_LOCALID", "0"),
        "MASTER_ADDR": env.get("MASTER_ADDR") or first_host(env.get("SLURM_STEP_NODELIST", "localhost")),
        "MASTER_PORT": env.get("MASTER_PORT") or str(PORT_BASE + (job * 64 + step) % PORT_SPAN),
    }


def init_distributed(device_name: str = "auto") -> DistInfo:
    """Join the process group when launched by torchrun or srun with several processes; a no-op
    otherwise."""
    os.environ.update(slurm_environment(os.environ))
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistInfo()
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if not dist.is_initialized():
        use_nccl = device_name != "cpu" and torch.cuda.is_available()
        if use_nccl:
            # before NCCL starts: its barriers and object broadcasts use the current device,
            # and every rank left on cuda:0 would crowd one GPU (or hang)
            torch.cuda.set_device(local_rank % torch.cuda.device_count())
        dist.init_process_group(backend="nccl" if use_nccl else "gloo")
    return DistInfo(dist.get_rank(), dist.get_world_size(), local_rank)


def barrier(info: DistInfo) -> None:
    if info.world > 1:
        dist.barrier()


def broadcast_object(info: DistInfo, obj):
    """Rank 0's `obj` on every rank (e.g. an error message, so all ranks stop together)."""
    if info.world == 1:
        return obj
    box = [obj]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def shutdown(info: DistInfo) -> None:
    if info.world > 1 and dist.is_initialized():
        dist.barrier()  # no rank tears the group down while another still talks to it
        dist.destroy_process_group()
