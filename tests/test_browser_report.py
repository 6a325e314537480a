"""The study report in a real headless Chromium: every figure drawn, and no request leaves the machine.

Built without training, as tests/test_study_report.py does (synthetic runs -> assemble -> render_html).
"""

import pytest

from core.render.report_html import render_html
from core.render.study import figures
from core.study.report import assemble
from scripts.app_browser import chromium_path, launch_chromium
from tests.helpers.study import fake_collected

pytestmark = pytest.mark.browser
CHROMIUM = chromium_path()

# per figure div: is it a plotly graph, its svgs, its traces (data and drawn), and drawn marks
DRAWN = """() => [...document.querySelectorAll('div.figure div.plotly-graph-div')].map(d => ({
    id: d.id,
    plotly: d.classList.contains('js-plotly-plot'),
    svgs: d.querySelectorAll('svg.main-svg').length,
    data: (d.data || []).length,
    traces: d.querySelectorAll('svg.main-svg g.trace').length,
    marks: [...d.querySelectorAll('svg.main-svg g.trace path, svg.main-svg g.trace text')]
        .filter(e => e.tagName === 'text' ? e.textContent : (e.getAttribute('d') || '').length > 2).length,
}))"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
def test_report_draws_every_figure_offline(tmp_path):
    from playwright.sync_api import sync_playwright

    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    expected = figures(report)
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    own = path.as_uri()

    requests, aborted, errors = [], [], []

    def route(r):
        requests.append(r.request.url)
        if r.request.url == own:
            r.continue_()
        else:
            aborted.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = launch_chromium(p, CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", route)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
            page.goto(own, wait_until="load", timeout=60_000)
            page.wait_for_function(
                "n => document.querySelectorAll('div.figure div.js-plotly-plot svg.main-svg g.trace').length >= n",
                arg=sum(len(fig.data) for _, fig in expected),
                timeout=60_000,
            )
            page.wait_for_timeout(500)  # let plotly finish its last draw
            drawn = page.evaluate(DRAWN)
            headings = page.locator("div.figure > h3").all_inner_texts()
        finally:
            browser.close()

    assert len(drawn) == len(expected) == 11
    assert headings == [caption for caption, _ in expected]
    for (caption, fig), div in zip(expected, drawn, strict=True):
        assert div["plotly"] and div["svgs"] >= 1, (caption, div)
        assert div["data"] == div["traces"] == len(fig.data), (caption, div)
        assert div["marks"] > 0, (caption, div)
    assert requests == [own], requests  # the file itself, nothing else
    assert not aborted and not errors, (aborted, errors)
