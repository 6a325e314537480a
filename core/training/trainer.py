"""The training loop. It knows nothing about run folders or the CLI: it reports through
callbacks, so the CLI (progress bar), the run session (metrics.jsonl) and tests listen to the
same loop."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass

import torch
from torch import nn

from core.batching import EncodedPairs, bucketed_batches, make_batch
from core.config.training import TrainConfig
from core.errors import UserError
from core.training.dev_scores import DevScores
from core.training.plateau import stopped_rising
from core.training.schedule import learning_rate

PLATEAU = "plateau"  # Trainer.run's result when dev BLEU stopped rising (TrainConfig.patience)


class TrainingDiverged(UserError):
    """The loss became NaN or infinite."""


@dataclass
class Position:
    """Where training stands; with the seed it fixes the data order, so resuming is exact."""

    step: int = 0
    epoch: int = 0
    batch_in_epoch: int = 0


class Callback:
    """Override what you need. Records are plain dicts, ready for JSON."""

    def on_step(self, step: int, total: int, loss: float) -> None: ...
    def on_train_log(self, record: dict) -> None: ...
    def on_eval(self, record: dict) -> None: ...
    def on_checkpoint(self, position: Position) -> None: ...


class Trainer:
    def __init__(
        self,
        model: nn.Module,
        optimizer: torch.optim.Optimizer,
        data: EncodedPairs,
        config: TrainConfig,
        total_steps: int,
        device: torch.device,
        evaluate: Callable[[], DevScores] | None = None,
        callbacks: Sequence[Callback] = (),
        rank: int = 0,
        world: int = 1,
        dev_bleus: Sequence[float] = (),
    ):
        self.model, self.optimizer, self.data, self.config = model, optimizer, data, config
        self.total_steps, self.device, self.evaluate = total_steps, device, evaluate
        self.callbacks, self.rank, self.world = list(callbacks), rank, world
        self._stop = False
        self.dev_bleus = list(dev_bleus)  # every dev BLEU so far (a resume passes the run's own)
        self._epoch_cache: tuple[int, list[list[int]]] = (-1, [])
        self.steps_per_epoch = steps_per_epoch(len(data), config.batch_size, world)

    def request_stop(self) -> None:
        """Ask the loop to checkpoint and return after the current step (signal-safe)."""
        self._stop = True

    def epoch_batches(self, epoch: int) -> list[list[int]]:
        """This process's batches for `epoch` (computed once per epoch)."""
        if self._epoch_cache[0] != epoch:
            cfg = self.config
            every = bucketed_batches(self.data, cfg.batch_size, cfg.seed, epoch, cfg.bucket_pool)
            self._epoch_cache = (epoch, every[self.rank :: self.world][: self.steps_per_epoch])
        return self._epoch_cache[1]

    def _autocast(self):
        if self.device.type == "cuda" and self.config.amp:
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return nullcontext()

    def _should_stop(self, plateau: bool) -> tuple[bool, bool]:
        """(a stop was requested, dev BLEU stopped rising), agreed by every rank (only rank 0 evaluates)."""
        if self.world == 1:
            return self._stop, plateau
        flags = torch.tensor([float(self._stop), float(plateau)], device=self.device)
        torch.distributed.all_reduce(flags)  # every rank stops at the same step, or DDP hangs
        return bool(flags[0].item()), bool(flags[1].item())

    def _emit(self, method: str, *args) -> None:
        for cb in self.callbacks:
            getattr(cb, method)(*args)

    def run(self, pos: Position) -> str:
        """Train from `pos` (updated in place) to total_steps. Returns "finished", "stopped", or
        PLATEAU (checkpointed at the evaluation where dev BLEU had stopped rising)."""
        cfg = self.config
        params = [p for p in self.model.parameters() if p.requires_grad]
        self.model.train()
        window_loss, window_tokens, window_start = 0.0, 0, time.perf_counter()
        while pos.step < self.total_steps:
            batches = self.epoch_batches(pos.epoch)
            index = batches[pos.batch_in_epoch]
            batch = make_batch(self.data, index).to(self.device)
            lr = learning_rate(cfg, pos.step, self.steps_per_epoch)
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            with self._autocast():
                loss_sum, n_tokens = self.model(batch.src, batch.src_len, batch.tgt_in, batch.tgt_out)
            loss = loss_sum / n_tokens
            value = float(loss.detach())
            if not math.isfinite(value):
                raise TrainingDiverged(
                    f"the loss became {value} at step {pos.step + 1}: training stopped. "
                    f"Lower the learning rate (now {lr:g}) or the gradient clip, then start a new run "
                    "(the last checkpoint is kept)"
                )
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            grad_norm = float(nn.utils.clip_grad_norm_(params, cfg.clip_norm))
            self.optimizer.step()
            pos.step += 1
            pos.batch_in_epoch += 1
            if pos.batch_in_epoch >= len(batches):
                pos.epoch, pos.batch_in_epoch = pos.epoch + 1, 0
            window_loss += value * batch.n_tokens
            window_tokens += batch.n_tokens
            self._emit("on_step", pos.step, self.total_steps, value)
            last = pos.step == self.total_steps
            if pos.step % cfg.log_every == 0 or last:
                seconds = time.perf_counter() - window_start
                mean = window_loss / max(1, window_tokens)
                self._emit(
                    "on_train_log",
                    {
                        "kind": "train",
                        "step": pos.step,
                        "epoch": round(pos.step / self.steps_per_epoch, 4),
                        "loss": mean,
                        "ppl": math.exp(min(mean, 50.0)),
                        "lr": lr,
                        "grad_norm": grad_norm,
                        "tokens_per_s": window_tokens * self.world / max(seconds, 1e-9),
                    },
                )
                window_loss, window_tokens = 0.0, 0
            plateau = False
            if self.evaluate is not None and (pos.step % cfg.eval_every == 0 or last):
                scores = self.evaluate()
                self._emit("on_eval", {"kind": "dev", "step": pos.step, **scores.to_dict()})
                self.model.train()
                if scores.bleu is not None:
                    self.dev_bleus.append(scores.bleu)
                    plateau = not last and stopped_rising(self.dev_bleus, cfg.patience)
            stop, plateau = self._should_stop(plateau)
            if pos.step % cfg.checkpoint_every == 0 or last or stop or plateau:
                self._emit("on_checkpoint", pos)
            if stop:
                return "stopped"
            if plateau:
                return PLATEAU
            if pos.step % cfg.log_every == 0:
                window_start = time.perf_counter()  # evaluation and checkpoints stay out of tokens/s
        return "finished"


def steps_per_epoch(n_pairs: int, batch_size: int, world: int = 1) -> int:
    """Optimizer steps in one pass over the data (each process takes every world-th batch)."""
    return max(1, math.ceil(n_pairs / batch_size) // world)


def total_steps(config: TrainConfig, n_pairs: int, world: int = 1) -> int:
    if config.steps is not None:
        return config.steps
    return max(1, round(config.epochs * steps_per_epoch(n_pairs, config.batch_size, world)))
