"""Run folders for tests: one without training (config.json and status.json only, for the runs table
and the pages), and a callback that stops a training at a step."""

from core.config.model import ModelConfig
from core.config.tokenizer import TokenizerConfig
from core.config.training import TrainConfig
from core.run.config import DataRecord, RunConfig
from core.run.status import write_status
from core.training.trainer import Callback


def make_run(root, name, state="finished", pid=None, reverse=True):
    run = root / name
    run.mkdir()
    model = ModelConfig(10, 10, reverse_source=reverse)
    RunConfig(model, TrainConfig(), TokenizerConfig(), DataRecord("grammar")).write(run)
    write_status(run, state, step=10, total_steps=10, pid=pid)
    return run


class StopAt(Callback):
    """Ask the trainer (set `.trainer` from train_run's on_trainer) to stop after `step`."""

    def __init__(self, step):
        self.step, self.trainer = step, None

    def on_step(self, step, total, loss):
        if step == self.step:
            self.trainer.request_stop()
