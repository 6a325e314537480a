"""Every page, with a runs folder as users leave it: a good run beside a run still training,
a failed run, a run folder emptied by hand and a stray file. No page may show a traceback."""

import os

import pytest

from tests.app_helpers import PAGES, add_run, fresh_app, open_page  # noqa: F401
from tests.test_runs import make_run


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
    errors = [e.value for e in at.error]
    # the only error a page may show is the failed run's own status, with a reason
    assert all(e.startswith("b-failed failed: ") and len(e) > len("b-failed failed: ") for e in errors), (
        errors
    )


@pytest.mark.parametrize("page", ["translate", "vectors", "compare", "lab"])
def test_page_with_only_unusable_runs_says_so(runs_root, page):
    make_run(runs_root, "a-training", state="running", pid=os.getpid())
    make_run(runs_root, "b-failed", state="failed")
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(m.value for m in [*at.info, *at.warning, *at.error, *at.caption])
    assert shown.strip(), "the page says nothing about having no usable run"
