"""A run folder without training: config.json and status.json only, for the runs table and pages."""

from core.config.model import ModelConfig
from core.config.tokenizer import TokenizerConfig
from core.config.training import TrainConfig
from core.run.config import DataRecord, RunConfig
from core.run.status import write_status


def make_run(root, name, state="finished", pid=None, reverse=True):
    run = root / name
    run.mkdir()
    model = ModelConfig(10, 10, reverse_source=reverse)
    RunConfig(model, TrainConfig(), TokenizerConfig(), DataRecord("grammar")).write(run)
    write_status(run, state, step=10, total_steps=10, pid=pid)
    return run
