"""Stopping when dev BLEU has stopped rising (TrainConfig.patience, core.training.plateau)."""

from dataclasses import replace

import pytest

from core.config.training import TrainConfig
from core.errors import UserError
from core.run import folder as runs
from core.run.status import read_status
from core.training.checkpoint import weights_step
from core.training.plateau import MIN_RISE, plateau_message, stopped_rising
from core.training.session import train_run
from tests.helpers.toy import NUMBERS_TRAIN, numbers_request


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
    flat = replace(NUMBERS_TRAIN, lr=1e-12, steps=80, patience=2)
    assert train_run(numbers_request(tmp_path / "run", train=flat)) == "plateau"
    status = read_status(tmp_path / "run")
    assert (status.state, status.step, status.total_steps, status.plateau) == (
        "finished",
        24,
        80,
        True,
    )
    assert status.message.startswith("dev BLEU stopped rising")
    assert weights_step(tmp_path / "run" / runs.WEIGHTS) == 24  # checkpointed where it stopped
    assert (
        train_run(numbers_request(tmp_path / "run", resume=True, data="", train=TrainConfig(steps=80)))
        == "plateau"
    )
    resumed = read_status(tmp_path / "run")
    assert (resumed.step, resumed.plateau) == (32, True)  # one evaluation more
