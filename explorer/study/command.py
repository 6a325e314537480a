"""A new study as the Study page asks for it, and the `s2s study` command line that starts it (a
study is started like a training run, explorer.jobs.TrainingProcesses.start_study)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.analysis.suites import PROBE_SUITE_FLAG
from core.errors import UserError
from core.study.arms import ARMS
from explorer.jobs import RUN_NAME


def check_new_study(name: str, root: Path) -> Path:
    """The folder of a new study called `name`; UserError if the name is bad or taken."""
    name = name.strip()
    if not RUN_NAME.match(name):
        raise UserError(f"study name {name!r} is not allowed: use letters, digits, '.', '_' or '-'")
    if (root / name).exists():
        raise UserError(f"a study called {name!r} exists already: open it below, or pick another name")
    return root / name


@dataclass(frozen=True)
class NewStudy:
    """What the Study page asks for. `s2s study --out OUT` alone resumes a study; this starts one."""

    out: Path
    data: str
    preset: str
    arms: tuple[str, ...]
    seeds: int
    steps: int | None = None  # None: the preset's
    jobs: int = 1  # runs trained at once (local launcher)
    probe_suites: tuple[str, ...] = ()  # suite files scored besides the standard ones (--probe-suite)
    slurm: tuple[tuple[str, str], ...] | None = None  # (flag, value): one SLURM job per run

    def __post_init__(self):
        if "forward" not in self.arms or any(a not in ARMS for a in self.arms):
            raise UserError(f"arms must include forward (the reference), from {', '.join(ARMS)}")

    def argv(self) -> list[str]:
        """The `s2s study` arguments."""
        argv = ["study", "--out", str(self.out), "--data", self.data.strip(), "--preset", self.preset]
        argv += ["--arms", ",".join(self.arms), "--seeds", str(self.seeds)]
        argv += ["--steps", str(self.steps)] if self.steps else []
        argv += [PROBE_SUITE_FLAG, *self.probe_suites] if self.probe_suites else []
        if self.slurm is None:
            return [*argv, "--jobs", str(self.jobs)]
        given = [(flag, str(value).strip()) for flag, value in self.slurm if str(value).strip()]
        return [*argv, "--launcher", "slurm", *(x for pair in given for x in pair)]
