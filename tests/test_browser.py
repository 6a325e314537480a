"""One end-to-end test in a real headless Chromium: `streamlit run Home.py`, Thought Vectors on a tiny run,
while a second tab of the same browser trains a model in the background and stops it."""

import json
import re

import pytest

from scripts.app_browser import (
    chromium_path,
    click_button,
    launch_chromium,
    start_server,
    stop_server,
    wait_until_idle,
)
from tests.helpers.app import add_run

pytestmark = pytest.mark.browser
CHROMIUM = chromium_path()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
def test_thought_vectors_in_a_real_browser(tmp_path, tiny_grammar_run):
    from playwright.sync_api import sync_playwright

    runs = tmp_path / "runs"
    runs.mkdir()
    add_run(tiny_grammar_run, runs, "tiny-rev")
    server, url = start_server(runs, tmp_path / "streamlit.log")
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p, CHROMIUM)
            tabs = browser.new_context(viewport={"width": 1280, "height": 800})
            # tab 2 starts training (preset fast on the built-in corpus) and leaves it running
            train_tab = tabs.new_page()
            train_tab.goto(f"{url}/Train", timeout=60_000)
            train_tab.get_by_role("heading", name="New run").wait_for(timeout=60_000)
            wait_until_idle(train_tab)
            click_button(train_tab, "Start training")
            train_tab.get_by_text(re.compile(r"fast-1: step \d")).first.wait_for(timeout=120_000)
            # tab 1 browses the thought vectors of the finished run meanwhile
            page = tabs.new_page()
            page.goto(f"{url}/Thought_Vectors", timeout=60_000)
            page.get_by_role("heading", name="Thought Vectors").wait_for(timeout=60_000)
            wait_until_idle(page)
            click_button(page, "Draw the maps")
            page.get_by_text("Probe score: margin").first.wait_for(timeout=90_000)
            plots = page.locator(".js-plotly-plot")
            plots.first.wait_for(timeout=60_000)  # plotly.js draws after the script run ends
            wait_until_idle(page)
            assert plots.count() >= 2  # the two Figure 2 panels (and their heatmaps)
            assert plots.first.locator(".scatterlayer .trace").count() > 0  # points were drawn
            shot = tmp_path / "thought_vectors.png"
            page.screenshot(path=str(shot), full_page=False)
            # back in tab 2: the run kept training; Stop saves a checkpoint and ends it
            train_tab.bring_to_front()
            click_button(train_tab, "Stop")
            train_tab.get_by_text(re.compile(r"fast-1: step [\d,]+/[\d,]+ · stopped")).wait_for(
                timeout=120_000
            )
            browser.close()
        assert shot.stat().st_size > 10_000
        status = json.loads((runs / "fast-1" / "status.json").read_text())
        assert status["state"] == "stopped" and status["step"] > 0
        assert (runs / "fast-1" / "model.safetensors").is_file()
    finally:
        stop_server(server)
        if (runs / "fast-1" / "status.json").is_file():
            from explorer.jobs import TrainingProcesses

            TrainingProcesses().stop(runs / "fast-1")  # by its pid: a failed test must not leave it running
    log = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in log, log[-3000:]
