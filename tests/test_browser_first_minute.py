"""The first minute in a real Chromium: `s2s app` with an empty runs folder, and Thought Vectors
draws a Figure 2 map of the shipped demo pair with no click. The test waits for the map and fails
only when none comes; how long it took is printed (benchmarks/first_paint.py measures it)."""

import sys
import time

import pytest

from core.run.demo import DEMO_ROOT, Manifest
from scripts.app_browser import chromium_path, free_port, launch_chromium, launch_server, stop_server

pytestmark = pytest.mark.browser
CHROMIUM = chromium_path()
NO_MAP_AFTER_S = 300  # a generous ceiling for a loaded machine: the test is not a timing test


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
@pytest.mark.skipif(not Manifest.read(DEMO_ROOT).files, reason="no demo files shipped")
def test_thought_vectors_draws_figure2_of_the_demo_pair_with_no_click(tmp_path):
    from playwright.sync_api import sync_playwright

    runs = tmp_path / "runs"
    port = free_port()
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "core", "app", "--port", str(port), "--runs-dir", str(runs)]
    server, url = launch_server(cmd, runs, tmp_path / "streamlit.log", port, cwd=tmp_path, demo=DEMO_ROOT)
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p, CHROMIUM)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/Thought_Vectors", timeout=120_000)
            page.get_by_role("heading", name="Thought Vectors").wait_for(timeout=120_000)
            maps = page.locator(".js-plotly-plot")
            maps.first.wait_for(timeout=NO_MAP_AFTER_S * 1000)
            seconds = time.perf_counter() - started
            assert maps.first.locator(".scatterlayer .trace").count() > 0  # points were drawn
            assert page.get_by_text("John admires Mary").count() > 0  # Figure 2's left phrase set
            browser.close()
        print(f"first Figure 2 map {seconds:.1f} s after `s2s app` started")
    finally:
        stop_server(server)
