"""What a study's SLURM jobs ask the cluster for: one frozen, self-checking config, declared once
(`s2s study`'s --partition ... --slurm-extra flags and the Study page are built from it) and kept
in the study folder (slurm/launcher.json), so that `s2s study --out S` collects and resubmits
with the same settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.errors import UserError
from core.options import AT_LEAST_ONE, NOT_NEGATIVE, Declared, option, options_of

# SLURM's --time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S
_TIME = re.compile(r"^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$")
_MEM = re.compile(r"^\d+(?:\.\d+)?[KMGT]?$", re.I)  # SLURM's --mem: a size, megabytes by default
_EXTRA_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")


def time_minutes(text: str) -> int:
    """A SLURM --time (e.g. 90, 4:00:00, 2-00:00) in whole minutes (seconds rounded up)."""
    match = _TIME.match(str(text).strip())
    if not match:
        raise UserError(
            f"--time {text!r} is not a SLURM time: give minutes (90), H:M:S (4:00:00) or D-H:M (2-00:00)"
        )
    days, first, second, third = match.groups()
    if days is not None:  # D-H[:M[:S]]
        minutes = int(days) * 1440 + int(first) * 60 + int(second or 0) + (1 if third and int(third) else 0)
    elif third is not None:  # H:M:S
        minutes = int(first) * 60 + int(second) + (1 if int(third) else 0)
    else:  # M or M:S
        minutes = int(first) + (1 if second and int(second) else 0)
    if minutes < 1:
        raise UserError(f"--time {text!r} is under a minute: a job needs time to start and checkpoint")
    return minutes


@dataclass(frozen=True)
class SlurmConfig(Declared):
    partition: str | None = option(None, "SLURM partition of every job (default: the cluster's default)")
    gpus_per_job: int = option(0, "GPUs of every job (one run each)", range=NOT_NEGATIVE)
    cpus_per_job: int = option(
        1,  # also the run's PyTorch threads, kept across requeues so that a resume repeats the bits
        "CPU cores of every job; also each run's PyTorch threads",
        range=AT_LEAST_ONE,
    )
    time: str = option(
        "4:00:00",
        "time limit of every job (SLURM's --time: 90, 4:00:00, 2-00:00); a job that reaches it "
        "checkpoints and is requeued",
    )
    mem: str | None = option(None, "memory of every job (SLURM's --mem, e.g. 16G; default: the partition's)")
    slurm_array_parallelism: int = option(256, "jobs of the array run at once, at most", range=AT_LEAST_ONE)
    # further sbatch options, as (key, value) pairs: --slurm-extra KEY=VALUE (e.g. account=lab, qos=high)
    extra: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self):
        super().__post_init__()
        time_minutes(self.time)
        if self.mem is not None and not _MEM.match(self.mem):
            raise UserError(f"--mem {self.mem!r} is not a SLURM size: e.g. 16G, 4000M or 4000")
        if self.partition is not None and not self.partition.strip():
            raise UserError("--partition is empty: give a partition's name, or leave it out")
        pairs = tuple((str(k), str(v)) for k, v in self.extra)
        for key, value in pairs:
            if not _EXTRA_KEY.match(key) or not value:
                raise UserError(
                    f"--slurm-extra {key}={value}: give KEY=VALUE, an sbatch option without its "
                    "dashes (e.g. account=lab)"
                )
        object.__setattr__(self, "extra", pairs)

    @staticmethod
    def parse_extra(items: list[str] | None) -> tuple[tuple[str, str], ...]:
        """--slurm-extra KEY=VALUE ... -> ((key, value), ...)."""
        pairs = []
        for item in items or ():
            key, sep, value = str(item).partition("=")
            if not sep:
                raise UserError(f"--slurm-extra {item!r}: give KEY=VALUE (e.g. account=lab)")
            pairs.append((key.strip().lstrip("-"), value.strip()))
        return tuple(pairs)

    def to_dict(self) -> dict:
        return {**super().to_dict(), "extra": [list(pair) for pair in self.extra]}

    @classmethod
    def from_dict(cls, d: dict) -> SlurmConfig:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        known["extra"] = tuple(tuple(pair) for pair in known.get("extra", ()))
        return cls(**known)

    def sbatch_parameters(self, job_name: str) -> dict:
        """submitit's SlurmExecutor parameters: one flag each, the extras last (they win)."""
        params = {
            "job_name": job_name,
            "time": time_minutes(self.time),
            "cpus_per_task": self.cpus_per_job,
            "array_parallelism": self.slurm_array_parallelism,
            "stderr_to_stdout": True,
            "additional_parameters": {"requeue": True, **dict(self.extra)},
        }
        if self.partition:
            params["partition"] = self.partition
        if self.gpus_per_job:
            params["gpus_per_node"] = self.gpus_per_job
        if self.mem:
            params["mem"] = self.mem
        return params


def slurm_options():
    """The declared options, as `s2s study` and the Study page offer them."""
    return options_of(SlurmConfig, "slurm")
