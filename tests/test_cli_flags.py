"""The flags several subcommands share are declared once (core.cli.flags): one definition, one
default and one help each, wherever they appear; the search flags follow SearchConfig's
declaration, and so do the app's bounds."""

import argparse
import ast
from pathlib import Path

import pytest

from core.cli import build_parser
from core.cli.flags import DEFAULT_DEVICE, SEARCH_OPTIONS, search_config
from core.config.search import MAX_BEAM, MAX_LENGTH_PENALTY, SearchConfig
from core.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
SEARCH_FLAGS = ("--beam", "--nbest", "--length-penalty", "--max-len-a", "--max-len-b")
SHARED = ("--run", "--device", "--threads", *SEARCH_FLAGS)


def parsers(parser=None, name="s2s") -> dict[str, argparse.ArgumentParser]:
    """Every parser and subparser of `s2s`, by its command line (e.g. "s2s surgery offset")."""
    parser = parser or build_parser()
    found = {name: parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, child in action.choices.items():
                found |= parsers(child, f"{name} {sub}")
    return found


def flag_actions(flag: str) -> dict[str, argparse.Action]:
    return {
        name: action
        for name, parser in parsers().items()
        for action in parser._actions
        if flag in action.option_strings
    }


@pytest.mark.parametrize("flag", SEARCH_FLAGS)
def test_a_search_flag_has_one_help_and_no_default_of_its_own(flag):
    """None when not given, so SearchConfig's declared default applies, in every command."""
    actions = flag_actions(flag)
    assert actions and {(a.default, a.help) for a in actions.values()} == {
        (None, actions[next(iter(actions))].help)
    }


def test_every_command_that_decodes_takes_the_declared_beam():
    surgery = [f"s2s surgery {what}" for what in ("decode", "interpolate", "offset")]
    assert sorted(flag_actions("--beam")) == ["s2s eval", "s2s study", *surgery, "s2s translate"]
    assert search_config(argparse.Namespace(beam=None)).beam == SearchConfig().beam == 5


def test_devices_default_to_auto_and_beams_to_the_declaration():
    assert {a.default for a in flag_actions("--device").values()} == {DEFAULT_DEVICE}
    assert len(flag_actions("--device")) == 12 and sorted(flag_actions("--threads")) == [
        "s2s study",
        "s2s train",
    ]
    translate = parsers()["s2s translate"]
    args = translate.parse_args(["--run", "r"])
    assert search_config(args) == SearchConfig()
    args = translate.parse_args(["--run", "r", "--beam", "3", "--nbest", "2", "--max-len-b", "7"])
    assert search_config(args) == SearchConfig(beam=3, nbest=2, max_len_b=7)
    assert set(SEARCH_OPTIONS) == {"beam", "nbest", "length_penalty", "max_len_a", "max_len_b"}


def test_no_subcommand_adds_a_shared_flag_itself():
    """Only core/cli/flags.py spells the shared flags out (a second copy would drift)."""
    spelled = []
    for path in sorted((ROOT / "core" / "cli").glob("*.py")):
        if path.name == "flags.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
                names = {a.value for a in node.args if isinstance(a, ast.Constant)}
                spelled += [f"{path.name}: {flag}" for flag in names & {*SHARED, "--layers"}]
    assert spelled == []


def test_the_probe_suite_flag_is_declared_once():
    """--probe-suite of s2s train, s2s study and s2s export tensorboard is core.cli.flags.add_probe_suites'
    (one constant, which a study's train commands and the Study page's command use too); no module
    spells it."""
    from core.analysis.suites import PROBE_SUITE_FLAG

    actions = flag_actions(PROBE_SUITE_FLAG)
    assert sorted(actions) == ["s2s export tensorboard", "s2s study", "s2s train"]
    assert {(a.nargs, a.metavar, a.default) for a in actions.values()} == {
        ("+", "SUITE", None),
        (None, "SUITE", None),
    }
    declaration = ROOT / "core" / "analysis" / "suites.py"
    spelled = [
        str(path.relative_to(ROOT))
        for folder in ("core", "explorer", "pages")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != declaration and f'"{PROBE_SUITE_FLAG}"' in path.read_text(encoding="utf-8")
    ]
    assert spelled == []


def test_search_config_checks_its_fields_against_each_other():
    with pytest.raises(UserError, match="--nbest 3 is larger than --beam 2"):
        SearchConfig(beam=2, nbest=3)
    with pytest.raises(UserError, match=f"--beam must be at least 1 .* and at most {MAX_BEAM}, not 0"):
        SearchConfig(beam=0)
    with pytest.raises(UserError, match="--max-len-b must be a number"):
        SearchConfig(max_len_b="ten")
    assert SearchConfig(beam=MAX_BEAM, nbest=MAX_BEAM).nbest == MAX_BEAM


def test_the_apps_search_widgets_take_the_declared_bounds():
    from explorer.widgets import SEARCH, option_bounds

    assert option_bounds(SEARCH["beam"]) == {"min_value": 1, "max_value": MAX_BEAM}
    assert option_bounds(SEARCH["length_penalty"]) == {"min_value": 0.0, "max_value": MAX_LENGTH_PENALTY}
