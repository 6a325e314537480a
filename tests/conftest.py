import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("S2S_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture
def shared_data() -> Path:
    """../shared/data (real corpora); the test skips cleanly where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def runs_root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "runs"
    root.mkdir()
    monkeypatch.setenv("S2S_RUNS_DIR", str(root))
    return root


@pytest.fixture(scope="session")
def tiny_grammar_run(tmp_path_factory) -> Path:
    """A tiny model trained for a few seconds on the built-in grammar (reversed source).

    Shared by the analysis and app tests; treat it as read-only.
    """
    from core.cli import main

    out = tmp_path_factory.mktemp("runs") / "tiny-rev"
    argv = ["train", "--data", "grammar:3000", "--out", str(out), "--preset", "tiny", "--steps", "150",
            "--eval-every", "75", "--no-progress"]  # fmt: skip
    assert main(argv) == 0
    return out
