import json

import pytest
import torch
from safetensors.torch import load_file

from core.config.training import TrainConfig
from core.errors import UserError
from core.run import folder as runs
from core.training.schedule import learning_rate
from core.training.session import train_run
from core.training.trainer import TrainingDiverged
from tests.helpers.runs import StopAt
from tests.helpers.toy import NUMBERS_TRAIN, numbers_request


@pytest.mark.slow
def test_run_folder_has_exactly_the_designed_files(tmp_path):
    assert train_run(numbers_request(tmp_path / "run")) == "finished"
    names = {p.name for p in (tmp_path / "run").iterdir()}
    assert names == {"config.json", "model.safetensors", "state.pt", "metrics.jsonl", "status.json",
                     "src.vocab.txt", "tgt.vocab.txt", "start.json"}  # fmt: skip
    status = json.loads((tmp_path / "run" / "status.json").read_text())
    assert (status["state"], status["step"], status["total_steps"]) == ("finished", 24, 24)
    dev = runs.read_metrics(tmp_path / "run", "dev")
    assert [r["step"] for r in dev] == [8, 16, 24]
    assert all({"ppl", "bleu", "chrf"} <= r.keys() for r in dev)
    assert [r["step"] for r in runs.read_metrics(tmp_path / "run", "train")] == list(range(4, 25, 4))


@pytest.mark.slow
def test_interrupted_and_resumed_run_ends_with_identical_weights(tmp_path):
    train_run(numbers_request(tmp_path / "straight"))
    stopper = StopAt(11)  # mid-epoch and between checkpoints
    result = train_run(
        numbers_request(tmp_path / "split"),
        callbacks=[stopper],
        on_trainer=lambda t: setattr(stopper, "trainer", t),
    )
    assert result == "stopped"
    assert json.loads((tmp_path / "split" / "status.json").read_text())["state"] == "stopped"
    assert train_run(numbers_request(tmp_path / "split", resume=True, data="")) == "finished"
    a = load_file(tmp_path / "straight" / "model.safetensors")
    b = load_file(tmp_path / "split" / "model.safetensors")
    assert a.keys() == b.keys()
    for name in a:
        assert torch.equal(a[name], b[name]), name


@pytest.mark.slow
def test_resume_can_extend_a_finished_run(tmp_path):
    train_run(numbers_request(tmp_path / "run"))
    longer = TrainConfig(**{**NUMBERS_TRAIN.to_dict(), "steps": 32})
    assert train_run(numbers_request(tmp_path / "run", resume=True, train=longer)) == "finished"
    assert json.loads((tmp_path / "run" / "status.json").read_text())["step"] == 32


@pytest.mark.slow
def test_existing_run_is_not_overwritten(tmp_path):
    train_run(numbers_request(tmp_path / "run"))
    with pytest.raises(UserError, match="already exists"):
        train_run(numbers_request(tmp_path / "run"))


def test_bad_corpus_leaves_no_run_folder(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("one line without a tab\n")
    with pytest.raises(UserError, match=r"bad\.tsv"):
        train_run(numbers_request(tmp_path / "run", data=str(bad)))
    assert not (tmp_path / "run").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.tsv"]


class PoisonAt(StopAt):
    """Diverge on purpose: a NaN weight after `step` makes the next loss NaN."""

    def on_step(self, step, total, loss):
        if step == self.step:
            with torch.no_grad():
                self.trainer.model.out.weight.fill_(float("nan"))


@pytest.mark.slow
def test_nan_loss_stops_with_a_clear_message_and_failed_status(tmp_path):
    poison = PoisonAt(10)
    with pytest.raises(TrainingDiverged, match=r"loss became nan at step 11.*Lower the learning rate"):
        train_run(
            numbers_request(tmp_path / "run"),
            callbacks=[poison],
            on_trainer=lambda t: setattr(poison, "trainer", t),
        )
    status = json.loads((tmp_path / "run" / "status.json").read_text())
    assert status["state"] == "failed" and "loss became" in status["message"]
    assert (tmp_path / "run" / "model.safetensors").exists()  # the last good checkpoint stays


def test_paper_schedule_halves_every_half_epoch_after_epoch_five():
    paper = TrainConfig(optimizer="sgd", lr=0.7, schedule="halving")
    per_epoch = 100
    assert learning_rate(paper, 499, per_epoch) == 0.7
    assert learning_rate(paper, 500, per_epoch) == 0.35
    assert learning_rate(paper, 549, per_epoch) == 0.35
    assert learning_rate(paper, 550, per_epoch) == 0.175
    assert learning_rate(paper, 749, per_epoch) == pytest.approx(0.7 / 2**5)
    assert learning_rate(TrainConfig(), 10**6, per_epoch) == TrainConfig().lr
