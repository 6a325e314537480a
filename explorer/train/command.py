"""What the Train page asks for, and the `s2s train` command line that carries it out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.config import declared
from core.errors import UserError


@dataclass(frozen=True)
class TrainOptions:
    """What the Train page asks for; `overrides` maps a declared option (core.options, e.g.
    "hidden") to its value. The named fields are the options every launcher sets."""

    data: str
    preset: str = "fast"
    reverse_source: bool = True
    steps: int | None = None
    epochs: float | None = None  # used when steps is None
    seed: int | None = None
    device: str = "auto"
    threads: int | None = None
    tokenizer: str | None = None
    vocab_size: int | None = None
    attention: bool = False
    overrides: dict = field(default_factory=dict)

    def option_flags(self) -> list[str]:
        """The flags of every declared option this asks for (the others: the preset's values)."""
        named = {
            "reverse_source": self.reverse_source,
            "steps": self.steps,
            "epochs": self.epochs if self.steps is None else None,
            "kind": self.tokenizer,
            "vocab_size": self.vocab_size,
            "attention": self.attention or None,
        }
        values = {**self.overrides, **{k: v for k, v in named.items() if v is not None}}
        if self.seed is not None:
            values["seed"] = self.seed
        return option_argv(values)


def option_argv(values: dict) -> list[str]:
    """Declared options -> their flags, in declaration order (a boolean is --x or --no-x)."""
    argv = []
    for opt in declared():
        value = values.get(opt.name)
        if value is None:
            continue
        if opt.kind is bool:
            argv.append(opt.flag if value else "--no-" + opt.flag[2:])
        else:
            argv += [opt.flag, str(value)]
    return argv


def train_argv(options: TrainOptions, out: Path) -> list[str]:
    """The `s2s train` arguments for a new run."""
    data = options.data.strip()
    if not data:
        raise UserError("choose the training data (the built-in grammar or a corpus from the Data page)")
    argv = ["train", "--data", data, "--out", str(out), "--preset", options.preset, "--no-progress"]
    if options.device != "auto":
        argv += ["--device", options.device]
    if options.threads:
        argv += ["--threads", str(options.threads)]
    return argv + options.option_flags()
