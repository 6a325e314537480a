import json

import pytest

from core import atomic


def test_write_json_roundtrip_and_leaves_no_temp(tmp_path):
    path = atomic.write_json(tmp_path / "a" / "x.json", {"k": [1, 2]})
    assert json.loads(path.read_text()) == {"k": [1, 2]}
    assert [p.name for p in path.parent.iterdir()] == ["x.json"]


def test_failed_write_keeps_old_content(tmp_path):
    target = tmp_path / "x.txt"
    atomic.write_text(target, "old")

    def broken(p):
        p.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic.write_with(target, broken)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_staged_dir_removed_on_error(tmp_path):
    with pytest.raises(ValueError), atomic.staged_dir(tmp_path / "run") as stage:
        (stage / "config.json").write_text("{}")
        raise ValueError("bad corpus")
    assert list(tmp_path.iterdir()) == []


def test_staged_dir_appears_whole(tmp_path):
    with atomic.staged_dir(tmp_path / "run") as stage:
        (stage / "config.json").write_text("{}")
    assert (tmp_path / "run" / "config.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
