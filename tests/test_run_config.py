"""config.json has one typed reader and writer (core.run.config.RunConfig); older files load."""

import json
import shutil
from pathlib import Path

import pytest

from core.errors import UserError
from core.run.config import CONFIG_VERSION, RunConfig
from core.run.folder import CONFIG

V1 = Path(__file__).parent / "data" / "config_v1.json"  # written by the release before RunConfig


def test_a_version_1_config_loads_with_its_settings(tmp_path):
    shutil.copy(V1, tmp_path / CONFIG)
    config = RunConfig.read(tmp_path)
    assert (config.model.hidden, config.model.reverse_source, config.train.lr, config.tokenizer.kind) == (
        256, True, 0.002, "word")  # fmt: skip
    assert config.data.spec == "grammar" and config.data.is_grammar
    assert config.probe_suites == () and config.version == CONFIG_VERSION


def test_a_config_round_trips_and_is_written_at_the_current_version(tmp_path):
    shutil.copy(V1, tmp_path / CONFIG)
    config = RunConfig.read(tmp_path)
    config.write(tmp_path)
    assert RunConfig.read(tmp_path) == config
    assert json.loads((tmp_path / CONFIG).read_text())["version"] == CONFIG_VERSION


@pytest.mark.parametrize(
    "damage, match",
    [
        (lambda d: d.pop("model"), "damaged"),
        (lambda d: d["train"].update(lr=-1), "--lr must be a positive number"),
        (lambda d: d.update(version=CONFIG_VERSION + 1), "newer than this release"),
    ],
)
def test_a_damaged_or_newer_config_is_one_clear_error(tmp_path, damage, match):
    d = json.loads(V1.read_text())
    damage(d)
    (tmp_path / CONFIG).write_text(json.dumps(d))
    with pytest.raises(UserError, match=match):
        RunConfig.read(tmp_path)
