"""Several processes with DistributedDataParallel: `torchrun --nproc_per_node=K -m core train ...`.

NCCL on GPUs, gloo on CPUs (which is how the tests run it). Rank 0 alone writes the run folder.
"""

from __future__ import annotations

import os
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


def init_distributed(device_name: str = "auto") -> DistInfo:
    """Join the process group when launched by torchrun (WORLD_SIZE > 1); a no-op otherwise."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistInfo()
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if not dist.is_initialized():
        use_nccl = device_name != "cpu" and torch.cuda.is_available()
        if use_nccl:
            # before NCCL starts: its barriers and object broadcasts use the current device,
            # and every rank left on cuda:0 would crowd one GPU (or hang)
            torch.cuda.set_device(local_rank)
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
