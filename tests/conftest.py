"""Fixtures for every test: the shared trained runs, a runs folder, and a fresh app for app tests.

Markers (pyproject.toml): `slow` for a test that trains (or needs a run trained for it), `browser`
for one that drives Chromium. `make test-fast` runs the rest.
"""

import os
from pathlib import Path

import pytest

from core.run.folder import RUNS_DIR_ENV
from tests.helpers import ROOT
from tests.helpers.cli import TINY

SHARED_DATA = Path(os.environ.get("S2S_SHARED_DATA", ROOT.parent / "shared" / "data"))
APP_TESTS = "test_app_"  # files whose tests run the app in this process (streamlit.testing AppTest)
TRAINED_RUNS = ("tiny_grammar_run", "tiny_numbers_run")  # the session fixtures that train


@pytest.fixture(autouse=True)
def fresh_app(request, monkeypatch):
    """Each app test (a tests/test_app_*.py file) starts with empty Streamlit caches, its own upload
    folder, and errors raised; other tests are left alone.

    S2S_APP_RAISE makes explorer.messages re-raise unexpected exceptions, so a bug fails the test
    instead of becoming a friendly message (user errors are still shown as messages).
    """
    if not request.path.name.startswith(APP_TESTS):
        yield
        return
    import streamlit as st

    from core.run.demo import DEMO_DIR_ENV
    from explorer.jobs import DATA_DIR_ENV
    from explorer.messages import RAISE_ENV

    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv(RAISE_ENV, "1")
    monkeypatch.setenv(
        DEMO_DIR_ENV, str(request.getfixturevalue("tmp_path") / "no-demo")
    )  # `shipped_demo` shows it
    monkeypatch.setenv(DATA_DIR_ENV, str(request.getfixturevalue("tmp_path") / "uploads"))
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def pytest_collection_modifyitems(items) -> None:
    """A test that needs a trained run is slow: marked here, so no test can forget it."""
    for item in items:
        if set(TRAINED_RUNS) & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def shared_data() -> Path:
    """../shared/data (real corpora); the test skips cleanly where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def shipped_demo(monkeypatch) -> Path:
    """The app shows the demo files shipped in demo/ (app tests otherwise see none)."""
    from core.run.demo import DEMO_DIR_ENV, DEMO_ROOT

    monkeypatch.setenv(DEMO_DIR_ENV, str(DEMO_ROOT))
    return DEMO_ROOT


@pytest.fixture
def runs_root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "runs"
    root.mkdir()
    monkeypatch.setenv(RUNS_DIR_ENV, str(root))
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


@pytest.fixture(scope="session")
def tiny_numbers_run(tmp_path_factory) -> Path:
    """A finished 6-step TINY run on tests/data/numbers.tsv: for tests of the command line and the
    vectors, which need a run, not a good one. Shared; treat it as read-only (copy it to change it)."""
    from core.cli import main
    from tests.helpers.toy import NUMBERS_TSV

    out = tmp_path_factory.mktemp("numbers") / "run"
    assert main(["train", "--data", str(NUMBERS_TSV), "--out", str(out), "--steps", "6", *TINY]) == 0
    return out
