"""Declared options: every model, tokenizer and training option is declared once, as a field of
its frozen config dataclass (core.config.model.ModelConfig, core.config.tokenizer.TokenizerConfig,
core.config.training.TrainConfig) with its help and its range; core.config.declared() lists them.

Everything else is built from that one declaration: each config's `__post_init__` checks its
fields (`validate`), `s2s train`'s parser adds one flag per option, and the app's Train form one
widget per option. Adding an option is a new field here plus its use in the model or trainer.
"""

from __future__ import annotations

import math
import typing
from dataclasses import asdict, dataclass, field, fields

from core.errors import UserError

SPEC = "option"  # the field-metadata key that marks a field as a user option


@dataclass(frozen=True)
class Range:
    """Closed or half-open interval; None is unbounded. Its text is what errors say."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False  # True: the low end itself is excluded
    high_open: bool = False
    text: str = ""  # e.g. "at least 1"; derived when empty

    def contains(self, value: float) -> bool:
        if isinstance(value, float) and not math.isfinite(value):
            return False
        low_ok = self.low is None or (value > self.low if self.low_open else value >= self.low)
        high_ok = self.high is None or (value < self.high if self.high_open else value <= self.high)
        return low_ok and high_ok

    def describe(self) -> str:
        return self.text or f"between {self.low:g} and {self.high:g}"


AT_LEAST_ONE = Range(low=1, text="at least 1")
NOT_NEGATIVE = Range(low=0, text="0 or more")
POSITIVE = Range(low=0, low_open=True, text="a positive number")
FRACTION = Range(low=0, high=1, high_open=True, text="at least 0 and below 1")
SEED = Range(low=0, high=2**32 - 1, text="between 0 and 4294967295")  # NumPy, sklearn, UMAP seeds


@dataclass(frozen=True)
class Spec:
    """What an option declares besides its name, type and default."""

    help: str
    range: Range | None = None
    choices: tuple[str, ...] | None = None
    group: str | None = None  # options of one group exclude each other (steps | epochs)
    advanced: bool = False  # shown folded away in the app; every option is on the command line
    cli: str | None = None  # the flag's name when it is not the field's (TokenizerConfig.kind: --tokenizer)


def option(default, help: str, **spec):
    """A dataclass field declared as a user option:
    `lr: float = option(1e-3, "learning rate", range=POSITIVE)`."""
    return field(default=default, metadata={SPEC: Spec(help, **spec)})


@dataclass(frozen=True)
class Option:
    """One declared option, as the parser and the form see it."""

    name: str
    section: str  # "model" | "tokenizer" | "train": the config it belongs to
    kind: type  # int | float | str | bool
    optional: bool  # None is allowed (e.g. steps, when epochs decide)
    default: object
    spec: Spec

    @property
    def flag(self) -> str:
        return "--" + (self.spec.cli or self.name).replace("_", "-")

    def check(self, value) -> None:
        """Raise UserError naming the flag when `value` is outside the declared range or choices."""
        if value is None and self.optional:
            return
        if self.kind is bool and isinstance(value, bool):
            return
        if self.spec.choices is not None and value not in self.spec.choices:
            raise UserError(
                f"unknown {self.flag[2:]} {value!r}: "
                f"{self.flag} must be one of {', '.join(self.spec.choices)}"
            )
        if self.kind in (int, float):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise UserError(f"{self.flag} must be a number, not {value!r}")
            if self.kind is int and value != int(value):
                raise UserError(f"{self.flag} must be a whole number, not {value!r}")
            if self.spec.range is not None and not self.spec.range.contains(value):
                raise UserError(f"{self.flag} must be {self.spec.range.describe()}, not {value}")


def _kind(annotation) -> tuple[type, bool]:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if args:  # X | None
        return args[0], True
    return annotation, False


def options_of(cls, section: str) -> list[Option]:
    """The declared options of a config dataclass, in field order."""
    hints = typing.get_type_hints(cls)
    found = []
    for f in fields(cls):
        if SPEC in f.metadata:
            kind, optional = _kind(hints[f.name])
            found.append(Option(f.name, section, kind, optional, f.default, f.metadata[SPEC]))
    return found


def validate(config) -> None:
    """Check every declared option of a config instance (call from `__post_init__`)."""
    for opt in options_of(type(config), ""):
        opt.check(getattr(config, opt.name))


class Declared:
    """A frozen config dataclass whose declared options check themselves, and its dict form."""

    def __post_init__(self):
        validate(self)

    @classmethod
    def from_dict(cls, d: dict):
        """The config of its dict form (config.json's sections); a key it does not have is refused,
        named, rather than dropped (it would be a setting the run was trained with, lost)."""
        unknown = sorted(set(d) - set(cls.__dataclass_fields__))
        if unknown:
            raise UserError(f"{cls.__name__} has no field {', '.join(map(repr, unknown))}")
        return cls(**d)

    def to_dict(self) -> dict:
        return asdict(self)
