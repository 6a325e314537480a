"""The app tests' helpers: a page run with AppTest, a run added to it, its buttons and messages,
and a training started from the Train page followed to its end."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.run.status import read_status
from explorer import cache, jobs, widgets
from tests.helpers import ROOT

APP = ROOT / "Home.py"
PAGES = {key: path for key, path in widgets.PAGES.items() if key != "home"}  # "data", "train", ...
TIMEOUT = 60  # seconds per script run: generous for a shared 2-core machine that loads a model


def open_page(page: str | None = None, session: dict | None = None, timeout: float = TIMEOUT) -> AppTest:
    """Run Home.py, then switch to `page` ("data", "train", ...) as a user would."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(PAGES[page]).run()
    return at


def add_run(tiny_run: Path, root: Path, name: str) -> Path:
    """A copy of the session's tiny run under `root` (the fixture itself stays read-only)."""
    return Path(shutil.copytree(tiny_run, root / name))


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, texts(at.exception)
    assert not at.error, texts(at.error)


# --- training from the Train page -----------------------------------------------------

WAIT_S = 120  # a shared 2-core machine can be slow; the runs themselves take a few seconds


def wait_for(run: Path, states=("finished", "stopped", "failed"), step: int = 0) -> dict:
    deadline = time.time() + WAIT_S
    while time.time() < deadline:
        status = read_status(run).to_dict() if (run / "status.json").is_file() else {}
        process = cache.training_processes().process(run)  # the registry the pages use
        reached = status.get("state") in states and status.get("step", 0) >= step
        if reached and (process is None or process.poll() is not None or status["state"] == "running"):
            return status  # a final state counts once the process has exited
        if process is not None and process.poll() not in (None, 0) and not status:
            return {"state": "exited", "code": process.poll()}
        time.sleep(0.2)
    raise AssertionError(f"{run} did not reach {states}: {jobs.last_log_line(run)}")


def configure(at, name: str, steps: int):
    at.selectbox(key="train_preset").set_value("tiny").run()
    at.text_input(key="train_name_tiny").set_value(name)
    at.number_input(key="train_steps_tiny").set_value(steps)
    at.number_input(key="opt_threads").set_value(1)  # one thread: fast even on a busy 2-core machine
    at.number_input(key="opt_tiny_eval_every").set_value(10)
    return at.run()
