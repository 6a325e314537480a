"""Every page, with a runs folder as users leave it: a good run beside a run still training,
a failed run, a run folder emptied by hand and a stray file. No page may show a traceback."""

import os

import pytest

from core.run.listing import list_runs
from tests.helpers.app import PAGES, add_run, open_page
from tests.helpers.runs import make_run


@pytest.fixture
def messy_runs(runs_root, tiny_grammar_run):
    make_run(runs_root, "a-training", state="running", pid=os.getpid())  # no weights yet
    make_run(runs_root, "b-failed", state="failed")
    (runs_root / "c-emptied").mkdir()  # its files deleted by hand
    (runs_root / "notes.txt").write_text("not a run")
    add_run(tiny_grammar_run, runs_root, "d-good")
    return runs_root


@pytest.mark.parametrize("page", [None, *PAGES])
def test_page_renders_beside_broken_runs(messy_runs, page):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    errors = {e.value for e in at.error}
    # the only error a page may show is the failed run's own status, with its reason (make_run
    # records none, and the page says so)
    assert errors <= {"b-failed failed: no reason was recorded"}, errors


@pytest.mark.parametrize("page", ["translate", "vectors", "compare", "lab"])
def test_page_with_only_unusable_runs_says_so(runs_root, page):
    make_run(runs_root, "a-training", state="running", pid=os.getpid())
    make_run(runs_root, "b-failed", state="failed")
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    if page == "compare":  # it still draws their curves, and says what it leaves out
        (notice,) = [
            c.value for c in at.caption if c.value.startswith("No checkpoint yet (left out below): ")
        ]
        assert "a-training" in notice and "b-failed" in notice
        assert at.button and all(b.disabled for b in at.button)  # nothing to score
    else:  # the page stops at a notice that names the runs and what they wait for
        assert at.info and "No trained runs yet" in at.info[0].value
        (notice,) = [c.value for c in at.caption if c.value.startswith("Runs without a checkpoint yet: ")]
        runs = list_runs(runs_root)
        assert [r.name for r in runs] and all(f"{r.name} ({r.state})" in notice for r in runs), notice


def test_every_app_test_file_gets_the_fresh_app_fixture_without_importing_it(tmp_path):
    from explorer.jobs import data_dir
    from explorer.messages import RAISE_ENV

    assert os.environ.get(RAISE_ENV) == "1"  # an unexpected error fails the test, not a message
    assert data_dir() == tmp_path / "uploads"  # its own upload folder
