"""A training session: carry out a run's plan (core.training.plan) and keep its folder up to date:
config.json, metrics.jsonl, status.json and the checkpoints."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import replace
from pathlib import Path

import torch

from core import atomic
from core.config.training import TrainConfig
from core.device import describe, does_not_fit, is_out_of_memory, pick_device, set_kernels
from core.errors import UserError
from core.model import Seq2Seq
from core.run.demo import refuse_demo
from core.run.folder import METRICS, WEIGHTS, read_metrics, truncate_metrics
from core.run.loaded import LoadedRun
from core.run.lock import this_process, trainer_lock
from core.run.start import StartRecord
from core.run.status import write_status
from core.training import distributed
from core.training.checkpoint import load_checkpoint, save_checkpoint
from core.training.dev_scores import dev_scorer
from core.training.plan import Opened, RunRequest, TrainingPlan, open_new_run, plan_training, reopen_run
from core.training.plateau import plateau_message
from core.training.probe_scorer import ProbeScorer, load_probe_suites
from core.training.trainer import PLATEAU, Callback, Position, Trainer

__all__ = ["RunRequest", "build_optimizer", "train_run"]


class RunFolderWriter(Callback):
    """Rank 0's listener: metrics.jsonl, status.json and checkpoints."""

    def __init__(self, run: Path, model, optimizer, total: int):
        self.run, self.model, self.optimizer, self.total = run, model, optimizer, total

    def record(self, record: dict) -> None:
        atomic.append_jsonl(self.run / METRICS, {**record, "time": time.time()})

    def on_train_log(self, record: dict) -> None:
        self.record(record)
        me = this_process()
        write_status(
            self.run,
            "running",
            step=record["step"],
            total_steps=self.total,
            pid=me.pid,
            pid_identity=me.identity,
        )

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


def build_model(plan: TrainingPlan, device: torch.device) -> Seq2Seq:
    """The run's model on `device`, its initial weights drawn from the run's seed (the same on every rank)."""
    torch.manual_seed(plan.config.train.seed)
    try:
        return Seq2Seq(plan.config.model).to(device)
    except (RuntimeError, MemoryError) as err:
        if isinstance(err, MemoryError) or is_out_of_memory(err):
            raise UserError(does_not_fit(device)) from err
        raise


@contextmanager
def _removed_unless_checkpointed(opened: Opened, info: distributed.DistInfo) -> Iterator[None]:
    """A folder this call created goes again when the session fails before its first checkpoint:
    nothing half-made is left."""
    try:
        yield
    except UserError:
        if opened.created and info.is_main and not (opened.out / WEIGHTS).is_file():
            shutil.rmtree(opened.out, ignore_errors=True)
        raise


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
            with _removed_unless_checkpointed(opened, info):
                return _fit(plan_training(opened, info, device), info, device, callbacks, on_trainer)
    finally:
        distributed.shutdown(info)


def _fit(plan: TrainingPlan, info, device, callbacks, on_trainer) -> str:
    """Train a planned run from its start to its last step, keeping its folder up to date (rank 0)."""
    if plan.done:
        return "nothing to do"
    out, train = plan.out, plan.config.train
    model = build_model(plan, device)
    set_kernels(device, train.deterministic)
    optimizer = build_optimizer(model, train)
    position = load_checkpoint(out, model, optimizer) if plan.opened.resumed else replace(plan.start)
    net = model
    if info.world > 1:
        net = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None
        )
    evaluate = None
    listeners = list(callbacks)
    if info.is_main:
        truncate_metrics(out, position.step)  # records past the checkpoint are recomputed, identically
        if plan.opened.extended:  # a later plain --resume continues to the new length
            plan.config.write(out)
        evaluate = dev_scorer(model, plan.opened.data, plan.src_tok, plan.tgt_tok, train, device)
        writer = RunFolderWriter(out, model, optimizer, plan.total)
        view = LoadedRun(
            out, plan.config, plan.config.model, plan.src_tok, plan.tgt_tok, model, device, position.step
        )
        scorer = ProbeScorer(view, load_probe_suites(plan.config.probe_suites), writer.record)
        listeners[:0] = [writer, scorer]
    trainer = Trainer(
        net,
        optimizer,
        plan.train_data,
        train,
        plan.total,
        device,
        evaluate,
        listeners,
        info.rank,
        info.world,
        dev_bleus=plan.dev_bleus,
    )
    if on_trainer:
        on_trainer(trainer)
    if info.is_main:
        running = {"device": describe(device), "n_train": len(plan.train_data), "world_size": info.world}
        running |= {"step": position.step, "total_steps": plan.total, "message": "training", "plateau": False}
        me = this_process()
        write_status(out, "running", **running, pid=me.pid, pid_identity=me.identity)
        if not plan.opened.resumed:
            save_checkpoint(out, model, optimizer, position)  # step 0: an untrained baseline to compare with
            StartRecord.take(out, model.state_dict(), trainer.epoch_batches(0)).write(out)  # proof of "alike"
            scorer.start()  # the untrained margins and the surface baselines, beside every curve
    try:
        result = trainer.run(position)
    except BaseException as err:
        message = does_not_fit(device, position.step) if is_out_of_memory(err) else None
        if info.is_main:
            state = "stopped" if isinstance(err, KeyboardInterrupt) else "failed"
            with suppress(OSError, UserError):  # on a full disk this fails too; the error says why
                write_status(
                    out, state, step=position.step, message=message or str(err) or type(err).__name__
                )
        if message:
            raise UserError(message) from err
        raise
    if info.is_main:
        message = (
            "finished" if result == "finished" else f"stopped at step {position.step}: resume with --resume"
        )
        if result == PLATEAU:
            dev = [r for r in read_metrics(out, "dev") if r.get("bleu") is not None]
            message = plateau_message([r["bleu"] for r in dev], [r["step"] for r in dev], plan.total)
        state = "finished" if result == PLATEAU else result
        write_status(
            out, state, step=position.step, total_steps=plan.total, message=message, plateau=result == PLATEAU
        )
    return result
