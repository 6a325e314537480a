"""The training session as a plan (core.training.plan): a new run and a resumed one are planned
alike (settings, data, start position, last step), before any weight is built."""

import argparse

import pytest
import torch

from core.cli.train import build_request
from core.config.model import ModelConfig
from core.config.tokenizer import TokenizerConfig
from core.config.training import TrainConfig
from core.corpus.spec import DataSpec
from core.device import does_not_fit
from core.errors import UserError
from core.training.distributed import DistInfo
from core.training.plan import RunRequest, open_new_run, plan_training, reopen_run
from core.training.presets import PRESETS
from core.training.session import train_run
from core.training.trainer import Position
from tests.helpers.runs import StopAt
from tests.helpers.toy import NUMBERS_TSV

CPU = torch.device("cpu")
TINY = ModelConfig(emb_dim=8, hidden=16, layers=1)
TRAIN = TrainConfig(batch_size=16, steps=12, eval_every=6, checkpoint_every=6, log_every=3,
                    dev_ppl_sentences=10, dev_bleu_sentences=5)  # fmt: skip
WORDS = TokenizerConfig(kind="word", vocab_size=100)


def request(out, **kw) -> RunRequest:
    return RunRequest(
        out, **{"data": str(NUMBERS_TSV), "model": TINY, "train": TRAIN, "tokenizer": WORDS, **kw}
    )


def test_a_request_parses_its_data_once_and_holds_typed_configs(tmp_path):
    req = request(tmp_path / "run")
    assert isinstance(req.data, DataSpec) and req.data.text == str(NUMBERS_TSV)
    assert isinstance(req.model, ModelConfig) and req.model.src_vocab is None  # the tokenizers decide
    assert RunRequest(tmp_path / "run", data="", resume=True).data is None


def test_the_cli_decides_the_tokenizer_by_the_data(tmp_path):
    parser = argparse.ArgumentParser()
    from core.cli.train import add_parser

    add_parser(parser.add_subparsers(), "train")
    grammar = build_request(
        parser.parse_args(["train", "--out", str(tmp_path / "g"), "--data", "grammar:300"])
    )
    tsv = build_request(
        parser.parse_args(["train", "--out", str(tmp_path / "t"), "--data", str(NUMBERS_TSV)])
    )
    chosen = build_request(
        parser.parse_args(["train", "--out", "x", "--data", "grammar", "--tokenizer", "bpe"])
    )
    assert (grammar.tokenizer.kind, tsv.tokenizer.kind, chosen.tokenizer.kind) == ("word", "unigram", "bpe")
    assert grammar.model == ModelConfig(**PRESETS["fast"].model)  # the default preset's, typed
    with pytest.raises(UserError, match="--hidden must be at least 1"):  # the model options check themselves
        build_request(parser.parse_args(["train", "--out", "x", "--data", "grammar", "--hidden", "0"]))


@pytest.mark.slow
def test_a_new_and_a_resumed_run_are_planned_alike(tmp_path):
    info = DistInfo()
    new = plan_training(open_new_run(request(tmp_path / "run"), info, CPU), info, CPU)
    assert (new.start, new.total, new.done) == (Position(), 12, False)
    assert len(new.train_data) > 0 and new.config.model.src_vocab == new.src_tok.vocab_size
    stop = StopAt(8)
    train_run(
        request(tmp_path / "stopped"), callbacks=[stop], on_trainer=lambda t: setattr(stop, "trainer", t)
    )
    resumed = plan_training(reopen_run(request(tmp_path / "stopped", resume=True)), info, CPU)
    assert (resumed.start.step, resumed.total, resumed.done) == (8, 12, False)
    assert resumed.config.train == new.config.train and resumed.opened.resumed
    assert train_run(request(tmp_path / "stopped", resume=True)) == "finished"
    finished = plan_training(reopen_run(request(tmp_path / "stopped", resume=True)), info, CPU)
    assert finished.done and train_run(request(tmp_path / "stopped", resume=True)) == "nothing to do"
    shorter = request(tmp_path / "stopped", resume=True, train=TrainConfig(steps=10))
    with pytest.raises(UserError, match="already at step 12, past the 10 steps asked for"):
        plan_training(reopen_run(shorter), info, CPU)


@pytest.mark.slow
def test_out_of_memory_says_one_thing_and_a_new_folder_goes(tmp_path, monkeypatch):
    def no_room(*args, **kwargs):
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr("core.training.session.Seq2Seq", no_room)
    with pytest.raises(UserError) as refused:
        train_run(request(tmp_path / "run"))
    assert str(refused.value) == does_not_fit(CPU)
    assert not (tmp_path / "run").exists()  # created by this call, nothing trained: removed whole
