"""A training run tied to its run folder: create (or resume) the folder, train, and keep
config.json, metrics.jsonl, status.json and the checkpoints up to date."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from core import atomic
from core.batching import encode_pairs
from core.config.model import ModelConfig, estimate_parameters
from core.config.tokenizer import TokenizerConfig, default_kind
from core.config.training import TrainConfig
from core.corpus.dataset import ParallelData, load_data
from core.corpus.spec import DataSpec
from core.device import check_fits, describe, is_out_of_memory, pick_device
from core.errors import UserError
from core.model import Seq2Seq
from core.run.config import DataRecord, RunConfig
from core.run.data import run_data
from core.run.demo import refuse_demo
from core.run.folder import CONFIG, METRICS, NEXT_STATE, STATE, read_metrics, truncate_metrics, write_status
from core.run.loaded import LoadedRun
from core.run.lock import IDENTITY, process_identity, trainer_lock
from core.run.start import StartRecord
from core.tokenizer import load_tokenizer, train_tokenizer
from core.training import distributed
from core.training.checkpoint import load_checkpoint, save_checkpoint
from core.training.evaluator import make_evaluator
from core.training.plateau import plateau_message
from core.training.probes import ProbeScorer, load_probe_suites
from core.training.trainer import PLATEAU, Callback, Position, Trainer, total_steps


@dataclass(frozen=True)
class RunRequest:
    data: str  # a --data spec (core.corpus.spec)
    out: Path
    model: dict = field(default_factory=dict)  # ModelConfig fields, vocab sizes excluded
    train: TrainConfig = field(default_factory=TrainConfig)
    tokenizer: TokenizerConfig | None = None  # None: word level for the grammar corpus, else unigram
    preset: str = "custom"
    device: str = "auto"
    resume: bool = False
    resume_epochs: float | None = None  # with resume: train to this many epochs (instead of train.steps)
    probe_suites: tuple[str, ...] = ()  # probe suites scored at every dev evaluation (core.analysis.suites)


@dataclass(frozen=True)
class Opened:
    """A run folder ready to train: its settings, its data, and whether it continues a checkpoint."""

    out: Path
    config: RunConfig
    data: ParallelData
    resumed: bool = False  # continues from a checkpoint
    created: bool = False  # this call made the folder (so a failure before training removes it)
    extended: bool = False  # a resume asked for more steps or epochs than config.json says


def this_process() -> dict:
    """The status.json fields that say which process trains the run (core.run.lock)."""
    return {"pid": os.getpid(), IDENTITY: process_identity(os.getpid())}


class RunFolderWriter(Callback):
    """Rank 0's listener: metrics.jsonl, status.json and checkpoints."""

    def __init__(self, run: Path, model, optimizer, total: int):
        self.run, self.model, self.optimizer, self.total = run, model, optimizer, total

    def record(self, record: dict) -> None:
        atomic.append_jsonl(self.run / METRICS, {**record, "time": time.time()})

    def on_train_log(self, record: dict) -> None:
        self.record(record)
        write_status(self.run, "running", step=record["step"], total_steps=self.total, **this_process())

    def on_eval(self, record: dict) -> None:
        self.record(record)

    def on_checkpoint(self, position: Position) -> None:
        save_checkpoint(self.run, self.model, self.optimizer, position)


def build_optimizer(model: torch.nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """Adam or SGD; the fused kernel where this PyTorch has one for the device (halves the step time)."""
    make = torch.optim.Adam if config.optimizer == "adam" else torch.optim.SGD
    try:
        return make(model.parameters(), lr=config.lr, fused=True)
    except (RuntimeError, TypeError):  # older PyTorch: fused only on CUDA, or not at all
        return make(model.parameters(), lr=config.lr)


def _model_config(model: dict, src_vocab: int, tgt_vocab: int) -> ModelConfig:
    """ModelConfig from the requested options (it checks their ranges) and the vocabulary sizes."""
    chosen = {k: v for k, v in model.items() if k not in ("src_vocab", "tgt_vocab")}
    return ModelConfig(src_vocab=src_vocab, tgt_vocab=tgt_vocab, **chosen)


def _check_memory(model_config: ModelConfig, config: TrainConfig, device: torch.device) -> None:
    check_fits(estimate_parameters(model_config), config.optimizer, device, config.batch_size * 2 * config.max_len,
               model_config.hidden, model_config.layers)  # fmt: skip


def _create_folder(req: RunRequest, data: ParallelData, info: distributed.DistInfo) -> None:
    """Rank 0 creates the run folder whole (tokenizers, config.json, status), or not at all."""
    tok_config = req.tokenizer or TokenizerConfig(kind=default_kind(DataSpec.parse(req.data).is_grammar))
    with atomic.staged_dir(req.out) as stage:
        src_tok = train_tokenizer((s for s, _ in data.train), tok_config, stage, "src")
        tgt_tok = train_tokenizer((t for _, t in data.train), tok_config, stage, "tgt")
        record = DataRecord(data.spec, data.fingerprint(), len(data.train), len(data.dev), len(data.test),
                            data.is_grammar)  # fmt: skip
        RunConfig(
            model=_model_config(req.model, src_tok.vocab_size, tgt_tok.vocab_size),
            train=req.train,
            tokenizer=tok_config,
            data=record,
            preset=req.preset,
            world_size=info.world,
            created=time.time(),
            probe_suites=req.probe_suites,
        ).write(stage)
        write_status(stage, "running", step=0, total_steps=0, message="starting", **this_process())


def open_new_run(req: RunRequest, info: distributed.DistInfo, device: torch.device) -> Opened:
    """Check everything that can be checked, then create the run folder (rank 0; the others wait)."""
    out = Path(req.out)
    if info.is_main and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"{out} already exists: pass --resume to continue that run, or choose another --out")
    data = load_data(req.data)
    load_probe_suites(req.probe_suites)  # a bad suite path is refused before anything is written
    vocab = (req.tokenizer or TokenizerConfig()).vocab_size  # an upper bound: tokenizers are not trained yet
    _check_memory(_model_config(req.model, vocab, vocab), req.train, device)  # before anything is written
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


def _build(opened: Opened, device: torch.device):
    """Tokenizers, the model on its device and the encoded training data (UserError if impossible)."""
    config, train = opened.config, opened.config.train
    src_tok = load_tokenizer(opened.out, "src", config.tokenizer.kind)
    tgt_tok = load_tokenizer(opened.out, "tgt", config.tokenizer.kind)
    _check_memory(config.model, train, device)
    train_data = encode_pairs(opened.data.train, src_tok, tgt_tok, train.max_len)
    if len(train_data) == 0:
        raise UserError(f"no training pair has 1 to {train.max_len} tokens per side: check the corpus")
    torch.manual_seed(train.seed)  # the same initial weights on every rank
    try:
        model = Seq2Seq(config.model).to(device)
    except (RuntimeError, MemoryError) as err:
        if isinstance(err, MemoryError) or is_out_of_memory(err):
            raise UserError(f"the model does not fit in memory on {describe(device)}: use a smaller --hidden, "
                            "--layers, --vocab-size or preset") from err  # fmt: skip
        raise
    return model, train_data, src_tok, tgt_tok


def train_run(
    req: RunRequest,
    callbacks: Sequence[Callback] = (),
    on_trainer: Callable[[Trainer], None] | None = None,
) -> str:
    """Train (or resume) the run at req.out. Returns "finished", "stopped", "plateau" (finished early:
    dev BLEU stopped rising, TrainConfig.patience) or "nothing to do" (a
    resumed run already at its last step)."""
    refuse_demo(req.out, "resumed" if req.resume else "trained into")  # before its lock file is written
    info = distributed.init_distributed(req.device)
    try:
        device = pick_device(req.device, info.local_rank)
        with ExitStack() as held:  # rank 0 holds the run's lock as long as it trains (core.run.lock)
            if req.resume:
                if info.is_main and Path(req.out).is_dir():
                    held.enter_context(trainer_lock(req.out))
                opened = reopen_run(req)
            else:
                opened = open_new_run(req, info, device)
                if info.is_main:
                    held.enter_context(trainer_lock(opened.out))
            return _fit(opened, info, device, callbacks, on_trainer)
    finally:
        distributed.shutdown(info)


def _fit(opened: Opened, info, device, callbacks, on_trainer) -> str:
    """Train an opened run to its last step, keeping its folder up to date (rank 0)."""
    out, train_config = opened.out, opened.config.train
    try:
        model, train_data, src_tok, tgt_tok = _build(opened, device)
    except UserError:
        if opened.created and info.is_main:
            shutil.rmtree(out, ignore_errors=True)  # this call made the folder: leave nothing half-made
        raise
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    optimizer = build_optimizer(model, train_config)
    position = load_checkpoint(out, model, optimizer) if opened.resumed else Position()
    if not opened.created and info.is_main:  # records past the checkpoint are recomputed, identically
        truncate_metrics(out, position.step)
    net = model
    if info.world > 1:
        net = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None
        )
    total = total_steps(train_config, len(train_data), info.world)
    if opened.resumed:
        if position.step >= total:
            if opened.extended:
                raise UserError(f"run {out} is already at step {position.step}, past the {total} steps asked for: "
                                f"give --steps above {position.step} (or more --epochs) to train it further")  # fmt: skip
            return "nothing to do"
        if opened.extended and info.is_main:  # a later plain --resume continues to the new length
            opened.config.write(out)
    evaluate = None
    listeners = list(callbacks)
    if info.is_main:
        evaluate = make_evaluator(model, opened.data, src_tok, tgt_tok, train_config, device)
        writer = RunFolderWriter(out, model, optimizer, total)
        view = LoadedRun(
            out, opened.config, opened.config.model, src_tok, tgt_tok, model, device, position.step
        )
        scorer = ProbeScorer(view, load_probe_suites(opened.config.probe_suites), writer.record)
        listeners[:0] = [writer, scorer]
    earlier = [
        r for r in read_metrics(out, "dev") if r["step"] <= position.step and r.get("bleu") is not None
    ]
    trainer = Trainer(
        net,
        optimizer,
        train_data,
        train_config,
        total,
        device,
        evaluate,
        listeners,
        info.rank,
        info.world,
        dev_bleus=[r["bleu"] for r in earlier],
    )
    if on_trainer:
        on_trainer(trainer)
    if info.is_main:
        write_status(out, "running", step=position.step, total_steps=total, device=describe(device),
                     message="training", n_train=len(train_data), world_size=info.world, **this_process())  # fmt: skip
        if not opened.resumed:
            save_checkpoint(out, model, optimizer, position)  # step 0: an untrained baseline to compare with
            StartRecord.take(out, model.state_dict(), trainer.epoch_batches(0)).write(out)  # proof of "alike"
            scorer.start()  # the untrained margins and the surface baselines, beside every curve
    try:
        result = trainer.run(position)
    except BaseException as err:
        if info.is_main:
            message = str(err) or type(err).__name__
            if is_out_of_memory(err):
                message = (
                    f"out of memory at step {position.step}: use a smaller --batch-size, --hidden or preset"
                )
            state = "stopped" if isinstance(err, KeyboardInterrupt) else "failed"
            with suppress(OSError, UserError):  # on a full disk this fails too; the error says why
                write_status(out, state, step=position.step, message=message)
        if is_out_of_memory(err):
            raise UserError(f"the model does not fit in memory on {describe(device)}: use a smaller --batch-size, "
                            "--hidden or preset") from err  # fmt: skip
        raise
    if info.is_main:
        message = (
            "finished" if result == "finished" else f"stopped at step {position.step}: resume with --resume"
        )
        if result == PLATEAU:
            dev = [r for r in read_metrics(out, "dev") if r.get("bleu") is not None]
            message = plateau_message([r["bleu"] for r in dev], [r["step"] for r in dev], total)
        state = "finished" if result == PLATEAU else result
        write_status(
            out, state, step=position.step, total_steps=total, message=message, plateau=result == PLATEAU
        )
    return result
