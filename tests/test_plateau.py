"""Stopping when dev BLEU has stopped rising (TrainConfig.patience, core.training.plateau)."""

import json
from dataclasses import replace

import pytest

from core.config.training import TrainConfig
from core.errors import UserError
from core.run import folder as runs
from core.training.checkpoint import weights_step
from core.training.plateau import MIN_RISE, plateau_message, stopped_rising
from core.training.session import train_run
from tests.test_training import TRAIN, request


def test_stopped_rising_needs_patience_evaluations_without_a_rise():
    assert not stopped_rising([10.0, 20.0, 30.0], 2)
    assert not stopped_rising([10.0, 20.0], 2)  # not enough evaluations yet
    assert stopped_rising([10.0, 30.0, 29.0, 30.0], 2)
    assert not stopped_rising([10.0, 30.0, 29.0, 30.0 + 2 * MIN_RISE], 2)
    assert stopped_rising([10.0, 30.0, 30.0 + MIN_RISE / 2, 29.0], 2)  # a rise within MIN_RISE is no rise
    assert not stopped_rising([1.0, 1.0, 1.0, 1.0], 0)  # patience 0: never


def test_plateau_message_names_the_best_and_the_stop():
    assert plateau_message([10.0, 40.5, 40.0], [250, 500, 750], 4000) == (
        "dev BLEU stopped rising (best 40.5 at step 500): stopped at step 750 of at most 4,000"
    )


def test_patience_is_a_declared_option_with_a_range():
    assert TrainConfig().patience == 0
    with pytest.raises(UserError, match="--patience"):
        TrainConfig(patience=-1)


@pytest.mark.slow
def test_a_run_stops_when_dev_bleu_stops_rising_and_says_so(tmp_path):
    # a learning rate too small to change BLEU: the scores stay flat, so the run stops after
    # `patience` evaluations past the first, at step 3 x eval_every, and a resume keeps the history
    flat = replace(TRAIN, lr=1e-12, steps=80, patience=2)
    assert train_run(request(tmp_path / "run", train=flat)) == "plateau"
    status = json.loads((tmp_path / "run" / "status.json").read_text())
    assert (status["state"], status["step"], status["total_steps"], status["plateau"]) == (
        "finished",
        24,
        80,
        True,
    )
    assert status["message"].startswith("dev BLEU stopped rising")
    assert weights_step(tmp_path / "run" / runs.WEIGHTS) == 24  # checkpointed where it stopped
    assert (
        train_run(request(tmp_path / "run", resume=True, data="", train=TrainConfig(steps=80))) == "plateau"
    )
    assert json.loads((tmp_path / "run" / "status.json").read_text())["step"] == 32  # one evaluation more
