"""A training session's plan: what it trains and from where to where, decided before any weight is
built, for a new run and a resumed one alike.

    new run:  open_new_run(request)  the folder is created whole (tokenizers, config.json)
    resume:   reopen_run(request)    the run's own config.json, extended as asked, the same data
    then:     plan_training(opened)  -> TrainingPlan: settings, data, start position, last step,
                                        the dev BLEU history so far (TrainConfig.patience)

The session (core.training.session) only carries a plan out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from core import atomic
from core.batching import EncodedPairs, encode_pairs
from core.config.model import ModelConfig, estimate_parameters
from core.config.tokenizer import TokenizerConfig
from core.config.training import TrainConfig
from core.corpus.dataset import ParallelData, load_data
from core.corpus.spec import DataSpec
from core.device import check_fits
from core.errors import UserError
from core.run.config import DataRecord, RunConfig
from core.run.data import run_data
from core.run.folder import CONFIG, NEXT_STATE, STATE, read_metrics
from core.run.lock import this_process
from core.run.status import write_status
from core.tokenizer import Tokenizer, load_tokenizer, train_tokenizer
from core.training import distributed
from core.training.checkpoint import checkpoint_position
from core.training.probe_scorer import load_probe_suites
from core.training.trainer import Position, total_steps


@dataclass(frozen=True)
class RunRequest:
    """What `s2s train` asks for: a new run's settings, or which run to resume and to what length."""

    out: Path
    data: DataSpec | str | None = None  # the --data spec (parsed here, once); a resume needs none
    model: ModelConfig = field(default_factory=ModelConfig)  # vocabulary sizes: the trained tokenizers'
    train: TrainConfig = field(default_factory=TrainConfig)  # with resume: only steps (the new length)
    tokenizer: TokenizerConfig = field(default_factory=TokenizerConfig)
    preset: str = "custom"
    device: str = "auto"
    resume: bool = False
    resume_epochs: float | None = None  # with resume: train to this many epochs (instead of train.steps)
    probe_suites: tuple[str, ...] = ()  # probe suites scored at every dev evaluation (core.analysis.suites)

    def __post_init__(self):
        if isinstance(self.data, str):  # "" or None: a resume, whose run knows its data
            object.__setattr__(self, "data", DataSpec.parse(self.data) if self.data else None)


@dataclass(frozen=True)
class Opened:
    """A run folder ready to plan: its settings, its data, and how this call came to it."""

    out: Path
    config: RunConfig
    data: ParallelData
    resumed: bool = False  # continues from a checkpoint
    created: bool = False  # this call made the folder (so a failure before its first checkpoint removes it)
    extended: bool = False  # a resume asked for more steps or epochs than config.json says


@dataclass(frozen=True)
class TrainingPlan:
    """What a session trains: the same for a new run and a resumed one."""

    opened: Opened
    train_data: EncodedPairs  # the training pairs, tokenized, none longer than max_len
    src_tok: Tokenizer
    tgt_tok: Tokenizer
    start: Position  # where training starts: the last checkpoint's position, or step 0
    total: int  # the step training ends at
    dev_bleus: tuple[float, ...] = ()  # dev BLEU at each evaluation up to `start` (the stopping rule's)

    @property
    def out(self) -> Path:
        return self.opened.out

    @property
    def config(self) -> RunConfig:
        return self.opened.config

    @property
    def done(self) -> bool:
        """A resumed run already at its last step: nothing to train."""
        return self.start.step >= self.total


def check_memory(model: ModelConfig, config: TrainConfig, device: torch.device) -> None:
    """A UserError when training clearly cannot fit on `device` (core.device.check_fits)."""
    tokens = config.batch_size * 2 * config.max_len
    check_fits(estimate_parameters(model), config.optimizer, device, tokens, model.hidden, model.layers)


def _create_folder(req: RunRequest, data: ParallelData, info: distributed.DistInfo) -> None:
    """Rank 0 creates the run folder whole (tokenizers, config.json, status), or not at all."""
    with atomic.staged_dir(req.out) as stage:
        src_tok = train_tokenizer((s for s, _ in data.train), req.tokenizer, stage, "src")
        tgt_tok = train_tokenizer((t for _, t in data.train), req.tokenizer, stage, "tgt")
        sizes = len(data.train), len(data.dev), len(data.test)
        RunConfig(
            model=replace(req.model, src_vocab=src_tok.vocab_size, tgt_vocab=tgt_tok.vocab_size),
            train=req.train,
            tokenizer=req.tokenizer,
            data=DataRecord(data.spec, data.fingerprint(), *sizes, data.is_grammar),
            preset=req.preset,
            world_size=info.world,
            created=time.time(),
            probe_suites=req.probe_suites,
        ).write(stage)
        me = this_process()
        write_status(
            stage, "running", step=0, total_steps=0, message="starting", pid=me.pid, pid_identity=me.identity
        )


def open_new_run(req: RunRequest, info: distributed.DistInfo, device: torch.device) -> Opened:
    """Check everything that can be checked, then create the run folder (rank 0; the others wait)."""
    out = Path(req.out)
    if info.is_main and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"{out} already exists: pass --resume to continue that run, or choose another --out")
    data = load_data(req.data)
    load_probe_suites(req.probe_suites)  # a bad suite path is refused before anything is written
    vocab = req.tokenizer.vocab_size  # an upper bound: the tokenizers are not trained yet
    check_memory(replace(req.model, src_vocab=vocab, tgt_vocab=vocab), req.train, device)
    error = None
    if info.is_main:
        try:
            _create_folder(req, data, info)
        except UserError as err:
            error = str(err)
    error = distributed.broadcast_object(info, error)
    if error:
        raise UserError(error)
    distributed.barrier(info)
    return Opened(out, RunConfig.read(out), data, created=True)


def _extended(stored: TrainConfig, req: RunRequest) -> TrainConfig:
    """The run's own settings, with the length a resume asks for (--steps or --epochs)."""
    if req.resume_epochs is not None:
        return replace(stored, steps=None, epochs=req.resume_epochs)
    if req.train.steps is not None:
        return replace(stored, steps=req.train.steps)
    return stored


def reopen_run(req: RunRequest) -> Opened:
    """A run folder with a checkpoint, its own settings (extended as asked) and the same data."""
    out = Path(req.out)
    if not (out / CONFIG).is_file():
        raise UserError(f"cannot resume {out}: it is not a run folder (no {CONFIG})")
    config = RunConfig.read(out)
    train = _extended(config.train, req)
    data = run_data(out, config)
    if data.fingerprint() != config.data.fingerprint:
        raise UserError(
            f"the data {data.spec!r} changed since run {out} started: it cannot be resumed exactly"
        )
    checkpointed = (out / STATE).is_file() or (out / NEXT_STATE).is_file()
    # a run killed before its first checkpoint starts again from step 0: same seed, same run
    return Opened(out, config.with_train(train), data, resumed=checkpointed, extended=train != config.train)


def dev_bleu_history(run: Path, step: int) -> tuple[float, ...]:
    """The run's dev BLEU scores (oldest first) up to `step`: a resume counts its patience from them."""
    dev = read_metrics(run, "dev")
    return tuple(r["bleu"] for r in dev if r["step"] <= step and r.get("bleu") is not None)


def plan_training(opened: Opened, info: distributed.DistInfo, device: torch.device) -> TrainingPlan:
    """The plan of an opened run: its tokenizers and encoded training pairs, the position it starts
    from and the step it ends at (a UserError for what cannot be trained)."""
    config, train = opened.config, opened.config.train
    src_tok = load_tokenizer(opened.out, "src", config.tokenizer.kind)
    tgt_tok = load_tokenizer(opened.out, "tgt", config.tokenizer.kind)
    check_memory(config.model, train, device)
    train_data = encode_pairs(opened.data.train, src_tok, tgt_tok, train.max_len)
    if len(train_data) == 0:
        raise UserError(f"no training pair has 1 to {train.max_len} tokens per side: check the corpus")
    start = checkpoint_position(opened.out) if opened.resumed else Position()
    plan = TrainingPlan(
        opened,
        train_data,
        src_tok,
        tgt_tok,
        start,
        total_steps(train, len(train_data), info.world),
        dev_bleu_history(opened.out, start.step) if opened.resumed else (),
    )
    if plan.done and opened.extended:
        raise UserError(
            f"run {opened.out} is already at step {start.step}, past the {plan.total} steps asked for: "
            f"give --steps above {start.step} (or more --epochs) to train it further"
        )
    return plan
