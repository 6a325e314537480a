"""The study folder, and study.json: the one place that reads and writes them.

studies/NAME/
  study.json        what was asked: data, preset, arms, seeds (first_seed, count), steps, extra train
                    flags, extra probe suites, and the primary comparisons, declared before training
  runs/ARM-sSEED/   ordinary run folders (`s2s train` made them; every page of the app reads them)
  measures/         per-run numbers the report computed, reused while the run is unchanged
  report.json       every number of the report
  report.html       the same, with figures: one self-contained file
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from core import atomic
from core.errors import UserError
from core.options import SEED
from core.run.folder import read_json
from core.study.arms import ARMS, parse_arms
from core.study.metrics import PRIMARY, parse_primary

STUDY = "study.json"
RUNS = "runs"
MEASURES = "measures"
REPORT_JSON = "report.json"
REPORT_HTML = "report.html"
STUDY_VERSION = 1
MAX_SEEDS = 100  # a run per arm and seed: more is no study a machine finishes (10**30 hung)


@dataclass(frozen=True)
class StudySpec:
    data: str  # a --data spec, as `s2s train` takes it
    preset: str  # a core.training.presets name
    arms: tuple[str, ...]  # names in core.study.arms.ARMS, forward included
    seeds: int  # how many seeds: first_seed .. first_seed + seeds - 1 (3 or more for an interval)
    steps: int | None = None  # optimizer steps per run; None: the preset's
    overrides: tuple[str, ...] = ()  # further `s2s train` flags, e.g. ("--hidden", "128"), for every run
    # PyTorch threads per run: not a setting of the study (two studies differing in it are the same
    # study), but kept so that a resumed run computes the same bits as an uninterrupted one would
    threads: int | None = field(default=None, compare=False)
    # the first seed: a replication takes seeds no earlier study used (its runs are then independent
    # draws, not the same trajectories read again)
    first_seed: int = 0
    # declared before training: the comparisons (split.metric, each arm against forward) that carry the
    # study's claims, Holm-adjusted; everything else in the report is exploratory (core.study.metrics)
    primary: tuple[str, ...] = PRIMARY
    # probe suites scored during training and in the report, besides the standard built-in ones
    probe_suites: tuple[str, ...] = ()

    def __post_init__(self):
        if not str(self.data).strip():
            raise UserError("--data is required for a new study (e.g. --data grammar)")
        object.__setattr__(self, "arms", parse_arms(self.arms))
        object.__setattr__(self, "overrides", tuple(str(o) for o in self.overrides))
        object.__setattr__(self, "primary", parse_primary(self.primary))
        object.__setattr__(self, "probe_suites", tuple(dict.fromkeys(str(s) for s in self.probe_suites)))
        if not isinstance(self.seeds, int) or not 1 <= self.seeds <= MAX_SEEDS:
            raise UserError(
                f"--seeds must be at least 1 (3 or more give intervals) and at most {MAX_SEEDS}, "
                f"not {self.seeds}"
            )
        if self.steps is not None and (not isinstance(self.steps, int) or self.steps < 1):
            raise UserError(f"--steps must be at least 1, not {self.steps}")
        if self.threads is not None and (not isinstance(self.threads, int) or self.threads < 1):
            raise UserError(f"--threads must be at least 1, not {self.threads}")
        if not isinstance(self.first_seed, int) or not (
            SEED.contains(self.first_seed) and SEED.contains(self.first_seed + self.seeds - 1)
        ):
            raise UserError(
                f"--first-seed must be 0 or more, with the last seed {SEED.describe()}: not {self.first_seed}"
            )

    @property
    def seed_list(self) -> list[int]:
        return list(range(self.first_seed, self.first_seed + self.seeds))

    def runs(self) -> list[tuple[str, int]]:
        """(arm, seed) of every run, seed by seed: a partial study has whole seeds to compare."""
        return [(arm, seed) for seed in self.seed_list for arm in self.arms]

    def to_dict(self) -> dict:
        d = {
            **asdict(self),
            "arms": list(self.arms),
            "overrides": list(self.overrides),
            "primary": list(self.primary),
        }
        return {"version": STUDY_VERSION, **d, "probe_suites": list(self.probe_suites)}

    @classmethod
    def from_dict(cls, d: dict) -> StudySpec:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


def run_name(arm: str, seed: int) -> str:
    return f"{arm}-s{seed}"


def run_folder(study: str | Path, arm: str, seed: int) -> Path:
    if arm not in ARMS:
        raise UserError(f"unknown arm {arm!r}: choose from {', '.join(ARMS)}")
    return Path(study) / RUNS / run_name(arm, seed)


def read_study(study: str | Path) -> StudySpec:
    """The study.json of a study folder; a UserError if it is missing, damaged or too new."""
    path = Path(study) / STUDY
    if Path(study).exists() and not Path(study).is_dir():
        raise UserError(f"{study} is a file, not a study folder")
    raw = read_json(path)
    if not raw:
        raise UserError(
            f"{study} is not a study folder: it has no {STUDY} (make one with `s2s study --out {study}`)"
        )
    version = raw.get("version")
    if version != STUDY_VERSION:
        raise UserError(
            f"{path} is study format version {version}; this program reads version {STUDY_VERSION}"
        )
    try:
        return StudySpec.from_dict(raw)
    except (KeyError, TypeError) as err:
        raise UserError(f"{path} is damaged: {err}") from err


def write_study(study: str | Path, spec: StudySpec) -> Path:
    return atomic.write_json(Path(study) / STUDY, spec.to_dict())
