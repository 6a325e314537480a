"""What the Train page asks for, and the `s2s train` command line that carries it out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UserError


@dataclass(frozen=True)
class TrainOptions:
    """What the Train page asks for; `overrides` maps a CLI option (e.g. "hidden") to its value."""

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


def train_argv(options: TrainOptions, out: Path) -> list[str]:
    """The `s2s train` arguments for a new run."""
    data = options.data.strip()
    if not data:
        raise UserError("choose the training data (the built-in grammar or a corpus from the Data page)")
    argv = ["train", "--data", data, "--out", str(out), "--preset", options.preset, "--no-progress"]
    argv.append("--reverse-source" if options.reverse_source else "--no-reverse-source")
    if options.steps is not None:
        argv += ["--steps", str(options.steps)]
    elif options.epochs is not None:
        argv += ["--epochs", str(options.epochs)]
    if options.seed is not None:
        argv += ["--seed", str(options.seed)]
    if options.device != "auto":
        argv += ["--device", options.device]
    if options.threads:
        argv += ["--threads", str(options.threads)]
    if options.tokenizer:
        argv += ["--tokenizer", options.tokenizer]
    if options.vocab_size:
        argv += ["--vocab-size", str(options.vocab_size)]
    if options.attention:
        argv.append("--attention")
    for flag, value in sorted(options.overrides.items()):
        if flag == "seed" and options.seed is not None:
            continue
        argv += ["--" + flag.replace("_", "-"), str(value)]
    return argv
