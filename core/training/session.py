"""A training run tied to its run folder: create (or resume) the folder, train, and keep
config.json, metrics.jsonl, status.json and the checkpoints up to date."""

from __future__ import annotations

import math
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from core import atomic
from core.batching import encode_pairs, pad
from core.corpus.dataset import ParallelData, load_data
from core.device import check_fits, describe, is_out_of_memory, pick_device
from core.errors import UserError
from core.evaluation import perplexity, score
from core.model import ModelConfig, Seq2Seq, estimate_parameters
from core.run.data import run_data
from core.run.folder import CONFIG, METRICS, STATE, read_json, write_status
from core.search import SearchConfig, greedy_search
from core.tokenizer import Tokenizer, TokenizerConfig, load_tokenizer, train_tokenizer
from core.training import distributed
from core.training.checkpoint import load_checkpoint, save_checkpoint, unwrap
from core.training.config import OPTIMIZERS, TrainConfig
from core.training.limits import check_settings
from core.training.trainer import Callback, Position, Trainer, total_steps

CONFIG_VERSION = 1


@dataclass(frozen=True)
class RunRequest:
    data: str  # a --data spec (core.corpus.dataset)
    out: Path
    model: dict = field(default_factory=dict)  # ModelConfig fields, vocab sizes excluded
    train: TrainConfig = field(default_factory=TrainConfig)
    tokenizer: TokenizerConfig | None = None  # None: word level for the grammar corpus, else unigram
    preset: str = "custom"
    device: str = "auto"
    resume: bool = False
    resume_epochs: float | None = None  # with resume: train to this many epochs (instead of train.steps)


class RunFolderWriter(Callback):
    """Rank 0's listener: metrics.jsonl, status.json and checkpoints."""

    def __init__(self, run: Path, model, optimizer, total: int):
        self.run, self.model, self.optimizer, self.total = run, model, optimizer, total
        self.started = time.time()

    def _record(self, record: dict) -> None:
        atomic.append_jsonl(self.run / METRICS, {**record, "time": time.time()})

    def on_train_log(self, record: dict) -> None:
        self._record(record)
        write_status(self.run, "running", step=record["step"], total_steps=self.total, pid=os.getpid())

    def on_eval(self, record: dict) -> None:
        self._record(record)

    def on_checkpoint(self, position: Position) -> None:
        save_checkpoint(self.run, self.model, self.optimizer, position)


def build_optimizer(model: torch.nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """Adam or SGD; the fused kernel where this PyTorch has one for the device (halves the step time)."""
    if config.optimizer not in OPTIMIZERS:
        raise UserError(f"unknown optimizer {config.optimizer!r}: choose one of {', '.join(OPTIMIZERS)}")
    make = torch.optim.Adam if config.optimizer == "adam" else torch.optim.SGD
    try:
        return make(model.parameters(), lr=config.lr, fused=True)
    except (RuntimeError, TypeError):  # older PyTorch: fused only on CUDA, or not at all
        return make(model.parameters(), lr=config.lr)


def make_evaluator(
    model, data: ParallelData, src_tok: Tokenizer, tgt_tok: Tokenizer, config: TrainConfig, device
):
    """Dev perplexity (capped number of pairs) and greedy BLEU on a fixed dev sample."""
    dev_ppl = encode_pairs(data.dev[: config.dev_ppl_sentences], src_tok, tgt_tok, config.max_len)
    sample = [(s, t) for s, t in data.dev[: config.dev_bleu_sentences] if src_tok.encode(s)]
    src_ids = [src_tok.encode(s)[: config.max_len] for s, _ in sample]

    def evaluate() -> dict:
        net = unwrap(model)
        loss, ppl = perplexity(net, dev_ppl, device)
        hyps = []
        net.eval()
        for start in range(0, len(src_ids), 64):
            chunk = src_ids[start : start + 64]
            src, src_len = pad(chunk).to(device), torch.tensor([len(s) for s in chunk])
            hyps += [tgt_tok.decode(h.tokens) for h in greedy_search(net, src, src_len, SearchConfig(beam=1))]
        scores = score(hyps, [t for _, t in sample]) if sample else None
        return {
            "loss": loss,
            "ppl": ppl,
            "bleu": scores.bleu if scores else None,
            "chrf": scores.chrf if scores else None,
            "n_ppl": len(dev_ppl),
            "n_bleu": len(sample),
        }

    return evaluate


def _prepare_new(req: RunRequest, data: ParallelData, info: distributed.DistInfo) -> dict:
    """Rank 0 creates the run folder whole (tokenizers, config.json, status), or not at all."""
    tok_config = req.tokenizer or TokenizerConfig(kind="word" if data.is_grammar else "unigram")
    model_fields = {k: v for k, v in req.model.items() if k not in ("src_vocab", "tgt_vocab")}
    with atomic.staged_dir(req.out) as stage:
        src_tok = train_tokenizer((s for s, _ in data.train), tok_config, stage, "src")
        tgt_tok = train_tokenizer((t for _, t in data.train), tok_config, stage, "tgt")
        model_config = ModelConfig(src_vocab=src_tok.vocab_size, tgt_vocab=tgt_tok.vocab_size, **model_fields)
        config = {
            "version": CONFIG_VERSION,
            "preset": req.preset,
            "model": model_config.to_dict(),
            "train": req.train.to_dict(),
            "tokenizer": {"kind": tok_config.kind, "vocab_size": tok_config.vocab_size,
                          "character_coverage": tok_config.character_coverage},
            "data": {"spec": data.spec, "fingerprint": data.fingerprint(), "n_train": len(data.train),
                     "n_dev": len(data.dev), "n_test": len(data.test), "is_grammar": data.is_grammar},
            "world_size": info.world,
            "created": time.time(),
        }  # fmt: skip
        atomic.write_json(stage / CONFIG, config)
        write_status(stage, "running", step=0, total_steps=0, pid=os.getpid(), message="starting")
    return config


def _check_memory(model_config: ModelConfig, config: TrainConfig, device: torch.device) -> None:
    check_fits(estimate_parameters(model_config), config.optimizer, device, config.batch_size * 2 * config.max_len,
               model_config.hidden, model_config.layers)  # fmt: skip


def _build(out: Path, config: dict, data: ParallelData, train_config: TrainConfig, device: torch.device):
    """Tokenizers, the model on its device and the encoded training data (UserError if impossible)."""
    kind = config["tokenizer"]["kind"]
    src_tok, tgt_tok = load_tokenizer(out, "src", kind), load_tokenizer(out, "tgt", kind)
    model_config = ModelConfig.from_dict(config["model"])
    _check_memory(model_config, train_config, device)
    train_data = encode_pairs(data.train, src_tok, tgt_tok, train_config.max_len)
    if len(train_data) == 0:
        raise UserError(f"no training pair has 1 to {train_config.max_len} tokens per side: check the corpus")
    torch.manual_seed(train_config.seed)  # the same initial weights on every rank
    try:
        model = Seq2Seq(model_config).to(device)
    except (RuntimeError, MemoryError) as err:
        if isinstance(err, MemoryError) or is_out_of_memory(err):
            raise UserError(f"the model does not fit in memory on {describe(device)}: use a smaller --hidden, "
                            "--layers, --vocab-size or preset") from err  # fmt: skip
        raise
    return model, train_data, src_tok, tgt_tok


def _check_new_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"{out} already exists: pass --resume to continue that run, or choose another --out")


def _extended(stored: TrainConfig, req: RunRequest) -> TrainConfig:
    """The run's own settings, with the length a resume asks for (--steps or --epochs)."""
    if req.resume_epochs is not None:
        if not (req.resume_epochs > 0 and math.isfinite(req.resume_epochs)):
            raise UserError(f"--epochs must be a positive number, not {req.resume_epochs}")
        return replace(stored, steps=None, epochs=req.resume_epochs)
    if req.train.steps is not None:
        return replace(stored, steps=req.train.steps)
    return stored


def train_run(
    req: RunRequest,
    callbacks: Sequence[Callback] = (),
    on_trainer: Callable[[Trainer], None] | None = None,
) -> str:
    """Train (or resume) the run at req.out. Returns "finished", "stopped", or "nothing to do" (a
    resumed run already at its last step)."""
    info = distributed.init_distributed(req.device)
    try:
        return _train(req, info, callbacks, on_trainer)
    finally:
        distributed.shutdown(info)


def _train(req, info, callbacks, on_trainer) -> str:
    device = pick_device(req.device, info.local_rank)
    out = Path(req.out)
    if req.resume:
        config = read_json(out / CONFIG)
        if not config:
            raise UserError(f"cannot resume {out}: it is not a run folder (no {CONFIG})")
        if not (out / STATE).is_file():
            raise UserError(f"cannot resume {out}: it has no {STATE} checkpoint yet")
        train_config = _extended(TrainConfig.from_dict(config["train"]), req)
        data = run_data(out, config)
        if data.fingerprint() != config["data"]["fingerprint"]:
            raise UserError(
                f"the data {data.spec!r} changed since run {out} started: it cannot be resumed exactly"
            )
    else:
        train_config = req.train
        check_settings(req.model, train_config)  # before anything is written
        if info.is_main:
            _check_new_out(out)
        data = load_data(req.data)
        # before anything is written: a model that cannot fit is refused up front
        vocab = (
            req.tokenizer or TokenizerConfig()
        ).vocab_size  # an upper bound: tokenizers are not trained yet
        planned = ModelConfig(src_vocab=vocab, tgt_vocab=vocab, **{k: v for k, v in req.model.items()
                                                                   if k not in ("src_vocab", "tgt_vocab")})  # fmt: skip
        _check_memory(planned, train_config, device)
        error = None
        if info.is_main:
            try:
                config = _prepare_new(req, data, info)
            except UserError as err:
                error = str(err)
        error = distributed.broadcast_object(info, error)
        if error:
            raise UserError(error)
        distributed.barrier(info)
        config = read_json(out / CONFIG)

    try:
        model, train_data, src_tok, tgt_tok = _build(out, config, data, train_config, device)
    except UserError:
        if not req.resume and info.is_main:
            shutil.rmtree(out, ignore_errors=True)  # this call made the folder: leave nothing half-made
        raise
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    optimizer = build_optimizer(model, train_config)
    position = load_checkpoint(out, model, optimizer) if req.resume else Position()
    net = model
    if info.world > 1:
        net = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None
        )
    total = total_steps(train_config, len(train_data), info.world)
    if req.resume:
        extended = train_config != TrainConfig.from_dict(config["train"])
        if position.step >= total:
            if extended:
                raise UserError(f"run {out} is already at step {position.step}, past the {total} steps asked for: "
                                f"give --steps above {position.step} (or more --epochs) to train it further")  # fmt: skip
            return "nothing to do"
        if extended and info.is_main:  # a later plain --resume continues to the new length
            atomic.write_json(out / CONFIG, {**config, "train": train_config.to_dict()})
    evaluate = make_evaluator(model, data, src_tok, tgt_tok, train_config, device) if info.is_main else None
    listeners = list(callbacks)
    if info.is_main:
        listeners.insert(0, RunFolderWriter(out, model, optimizer, total))
    trainer = Trainer(
        net, optimizer, train_data, train_config, total, device, evaluate, listeners, info.rank, info.world
    )
    if on_trainer:
        on_trainer(trainer)
    if info.is_main:
        write_status(out, "running", step=position.step, total_steps=total, pid=os.getpid(), device=describe(device),
                     message="training", n_train=len(train_data), world_size=info.world)  # fmt: skip
        if not req.resume:
            save_checkpoint(out, model, optimizer, position)  # step 0: an untrained baseline to compare with
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
            write_status(out, state, step=position.step, message=message)
        if is_out_of_memory(err):
            raise UserError(f"the model does not fit in memory on {describe(device)}: use a smaller --batch-size, "
                            "--hidden or preset") from err  # fmt: skip
        raise
    if info.is_main:
        message = (
            "finished" if result == "finished" else f"stopped at step {position.step}: resume with --resume"
        )
        write_status(out, result, step=position.step, total_steps=total, message=message)
    return result
