"""config.json: what a run was trained with, as one typed, versioned record.

This module is the only reader and writer of config.json. Version history:
  1  {version, preset, model, train, tokenizer, data, world_size, created}
  2  adds probe_suites: the probe suites the trainer scores at every dev evaluation
     (a version-1 run scores none: it was trained before they existed)
Older versions load; a newer one (from a later release) is refused with a message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

from core import atomic
from core.config.model import ModelConfig
from core.config.tokenizer import TokenizerConfig
from core.config.training import TrainConfig
from core.errors import UserError
from core.run.folder import CONFIG, file_version, read_json

CONFIG_VERSION = 2


@dataclass(frozen=True)
class DataRecord:
    """Which corpus a run was trained on, and a fingerprint to check it did not change."""

    spec: str  # the --data spec as typed (core.corpus.spec.DataSpec)
    fingerprint: str | None = None
    n_train: int = 0
    n_dev: int = 0
    n_test: int = 0
    is_grammar: bool = False


@dataclass(frozen=True)
class RunConfig:
    model: ModelConfig
    train: TrainConfig
    tokenizer: TokenizerConfig
    data: DataRecord
    preset: str = "custom"
    world_size: int = 1
    created: float = 0.0
    probe_suites: tuple[str, ...] = ()  # suite specs scored during training (core.analysis.suites)
    version: int = CONFIG_VERSION

    def to_dict(self) -> dict:
        d = asdict(self)
        d["probe_suites"] = list(self.probe_suites)
        return d

    @classmethod
    def from_dict(cls, d: dict, where: str = CONFIG) -> RunConfig:
        """A config.json's contents -> RunConfig (UserError naming `where` when it is damaged)."""
        file_version(d, where, CONFIG_VERSION)
        try:
            data = d["data"]
            return cls(
                model=ModelConfig.from_dict(d["model"]),
                train=TrainConfig.from_dict(d["train"]),
                tokenizer=TokenizerConfig.from_dict(d["tokenizer"]),
                data=DataRecord(**{k: v for k, v in data.items() if k in DataRecord.__dataclass_fields__}),
                preset=d.get("preset", "custom"),
                world_size=int(d.get("world_size", 1)),
                created=float(d.get("created", 0.0)),
                probe_suites=tuple(d.get("probe_suites", ())),
                version=CONFIG_VERSION,
            )
        except (KeyError, TypeError, ValueError, AttributeError, UserError) as err:
            raise UserError(f"{where} is damaged or from another version: {err}") from err

    @classmethod
    def read(cls, run: str | Path) -> RunConfig:
        path = Path(run) / CONFIG
        d = read_json(path)
        if not d:
            raise UserError(f"{run} is not a run folder: it has no {CONFIG}")
        return cls.from_dict(d, str(path))

    def write(self, run: str | Path) -> None:
        atomic.write_json(Path(run) / CONFIG, self.to_dict())

    def with_train(self, train: TrainConfig) -> RunConfig:
        return replace(self, train=train)
