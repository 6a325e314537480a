"""A run as TensorBoard event files: `s2s export tensorboard` (`tensorboard --logdir DIR` shows them).

    DIR/NAME/events.out.tfevents.*        scalars against step, and the run's hyperparameters
    DIR/NAME/projector_config.pbtxt       the Embedding Projector's index of the sets below
    DIR/NAME/STEP/SET/tensors.tsv         thought vectors, one row per sentence (n, d)
    DIR/NAME/STEP/SET/metadata.tsv        the sentence and its tags, one row per sentence

Scalars, from metrics.jsonl (each at its step and wall time):
    train/loss, train/ppl, train/lr, train/grad_norm, train/tokens_per_s
    dev/ppl, dev/bleu
    probe/SUITE/margin, probe/SUITE/low, probe/SUITE/high, probe/SUITE/win_rate
Hyperparameters (the HParams tab): the model, tokenizer and training options of config.json,
the data spec and the preset (booleans and unset values as text), against the last dev/ppl and
dev/bleu.

The writer is PyTorch's torch.utils.tensorboard (the tensorboard package's protocol buffers).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import UserError
from core.export.projector import ProjectorSet
from core.run.config import RunConfig
from core.run.folder import read_metrics

TRAIN_SCALARS = ("loss", "ppl", "lr", "grad_norm", "tokens_per_s")
DEV_SCALARS = ("ppl", "bleu")
PROBE_SCALARS = ("margin", "low", "high", "win_rate")
HPARAM_METRICS = ("dev/ppl", "dev/bleu")  # the scalars the HParams tab shows beside the options


@dataclass(frozen=True)
class Exported:
    """What one run's export wrote."""

    name: str
    folder: Path
    scalars: int  # scalar points written
    tags: tuple[str, ...]  # the scalar tags
    hparams: int  # hyperparameters recorded
    vectors: tuple[int, int] | None  # the projector tensor's shape (n, d), if one was written


def scalar_points(run: Path) -> list[tuple[str, float, int, float]]:
    """(tag, value, step, wall time) of every number of metrics.jsonl that is drawn against step."""
    points = []
    for record in read_metrics(run):
        kind, step, when = record.get("kind"), record.get("step"), record.get("time")
        if step is None:
            continue
        if kind == "train":
            names = {f"train/{k}": record.get(k) for k in TRAIN_SCALARS}
        elif kind == "dev":
            names = {f"dev/{k}": record.get(k) for k in DEV_SCALARS}
        elif kind == "probe" and "margin" in record:
            names = {f"probe/{record['suite']}/{k}": record.get(k) for k in PROBE_SCALARS}
        else:
            continue  # a probe suite the run skipped, or a kind from a newer release
        points += [
            (tag, float(v), int(step), when) for tag, v in names.items() if isinstance(v, (int, float))
        ]
    return points


def hyperparameters(config: RunConfig) -> dict[str, float | int | str | bool]:
    """config.json as the HParams tab's columns: model/NAME, train/NAME, tokenizer/NAME, data, preset."""
    values: dict = {"data": config.data.spec, "preset": config.preset, "world_size": config.world_size}
    for section, options in (
        ("model", config.model.to_dict()),
        ("train", config.train.to_dict()),
        ("tokenizer", config.tokenizer.to_dict()),
    ):
        values |= {f"{section}/{k}": v for k, v in options.items()}
    values["probe_suites"] = ",".join(config.probe_suites)
    # booleans as text: the writer would store True as the number 1
    return {
        k: v if isinstance(v, (int, float, str)) and not isinstance(v, bool) else str(v)
        for k, v in values.items()
    }


def check_destination(out: Path, name: str) -> Path:
    """DIR/NAME, refused if it already holds something (a second export would double every point)."""
    folder = Path(out) / name
    if Path(out).exists() and not Path(out).is_dir():
        raise UserError(f"--out {out} is a file: give a folder for the event files")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UserError(f"{folder} already holds an export: choose another --out, or remove it first")
    return folder


def write_run(
    run: Path,
    folder: Path,
    vectors: np.ndarray | None = None,
    projector: ProjectorSet | None = None,
    step: int = 0,
) -> Exported:
    """Write one run's scalars, hyperparameters and (given `vectors` (n, d) for `projector`'s n
    sentences) its Embedding Projector set into `folder`."""
    from torch.utils.tensorboard import SummaryWriter
    from torch.utils.tensorboard.summary import hparams

    config = RunConfig.read(run)
    points = scalar_points(run)
    params = hyperparameters(config)
    last = {tag: value for tag, value, _, _ in points if tag in HPARAM_METRICS}  # the last of each
    folder.mkdir(parents=True, exist_ok=True)
    with SummaryWriter(log_dir=str(folder)) as writer:
        for tag, value, at, when in points:
            writer.add_scalar(tag, value, global_step=at, walltime=when)
        for summary in hparams(params, last):  # experiment, session start, session end
            writer.file_writer.add_summary(summary)
        if vectors is not None and projector is not None:
            if len(vectors) != len(projector.rows):
                raise ValueError(f"{len(vectors)} vectors for {len(projector.rows)} sentences")
            rows, header = projector.metadata()
            writer.add_embedding(
                vectors, metadata=rows, metadata_header=header, tag=projector.name, global_step=step
            )
    shape = None if vectors is None else (int(vectors.shape[0]), int(vectors.shape[1]))
    tags = tuple(dict.fromkeys(tag for tag, *_ in points))
    return Exported(folder.name, folder, len(points), tags, len(params), shape)
