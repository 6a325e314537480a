"""Every declared option (core.options) is offered by `s2s train` and by the Train form, and the
declaration alone decides its range: adding an option is one field plus its use."""

import argparse

import pytest

from core.cli import COMMANDS, build_parser, main
from core.config import declared
from core.config.model import ModelConfig
from core.config.tokenizer import TokenizerConfig
from core.config.training import LENGTH, TrainConfig
from core.errors import UserError
from explorer.train.command import TrainOptions, train_argv
from tests.helpers.app import open_page


def train_flags() -> set[str]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {flag for action in sub.choices["train"]._actions for flag in action.option_strings}


def test_the_cli_offers_every_declared_option():
    flags = train_flags()
    missing = [o.flag for o in declared() if o.flag not in flags]
    assert not missing, missing
    booleans = [o for o in declared() if o.kind is bool]
    assert booleans and all("--no-" + o.flag[2:] in flags for o in booleans)


def test_the_train_form_offers_every_declared_option():
    """One widget per option, found by the help the declaration gives it (not by a key the form
    computes), with both lengths (steps and epochs) shown in turn."""
    at = open_page("train")
    helps = {w.help for w in at.main if getattr(w, "help", None)}
    preset = at.selectbox(key="train_preset").value
    at.radio(key=f"train_by_{preset}").set_value("epochs").run()
    helps |= {w.help for w in at.main if getattr(w, "help", None)}
    missing = [o.name for o in declared() if o.spec.help not in helps]
    assert not missing, missing


CONFIGS = {"model": ModelConfig, "tokenizer": TokenizerConfig, "train": TrainConfig}


@pytest.mark.parametrize("opt", [o for o in declared() if o.spec.range is not None], ids=lambda o: o.name)
def test_every_range_is_enforced_by_the_config_itself(opt):
    """Building the option's own config with a value outside its declared range is refused, naming
    the flag; the default builds."""
    outside = opt.spec.range.low - 1 if opt.spec.range.low is not None else opt.spec.range.high + 1
    config = CONFIGS[opt.section]
    with pytest.raises(UserError, match=opt.flag):
        config(**{opt.name: outside})
    assert getattr(config(**{opt.name: opt.default}), opt.name) == opt.default


def test_form_values_become_the_flags_the_cli_declares(tmp_path):
    overrides = {o.name: o.default for o in declared() if o.spec.group != LENGTH and o.kind is not bool}
    argv = train_argv(TrainOptions(data="grammar", overrides=overrides), tmp_path / "r")
    for name in overrides:
        flag = next(o.flag for o in declared() if o.name == name)
        assert flag in argv and flag in train_flags()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_its_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0 and "usage: s2s" in capsys.readouterr().out
