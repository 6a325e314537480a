"""Users' and corpora's sentences show literally in a real headless Chromium: Translate, Thought Vectors
(labels, hover text, heatmap), Probe Lab and Data. No dialog fires; no markdown, LaTeX, coloured span or
HTML (Streamlit's or plotly's) is made from them."""

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

HTML = "<img src=x onerror=alert(1)>"
MARKDOWN = "**bold** $x$ :red[y]"
BIDI = "John\u200b admires \u202eMary"  # a zero-width space and a right-to-left override
PLOTLY_TAGS = "<b>tag</b> &amp; <br>"  # HTML that plotly reads in labels and hover text
STRINGS = (HTML, MARKDOWN, BIDI, PLOTLY_TAGS)

# what a sentence must never become: bold/italic text, KaTeX, a coloured span, an image, plotly's bold
MARKUP = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const all = (sel) => [...main.querySelectorAll(sel)];
  return {
    emphasis: all('strong, b, em, i').map(e => e.textContent).filter(t => /bold|tag/.test(t)),
    katex: all('.katex').length,
    coloured: all('.stMarkdownColoredText, span[style*="color"]').map(e => e.textContent),
    images: all('img').length,
    plotly_bold: all('.js-plotly-plot tspan[style*="bold"]').map(e => e.textContent).filter(t => /tag/.test(t)),
  };
}"""
CELLS = "() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"] [role=gridcell]')].map(e => e.textContent)"
FRAMES_FILLED = "() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"]')].every(d => d.querySelector('[role=gridcell]'))"
PLOT_TEXT = "() => [...document.querySelectorAll('.js-plotly-plot text')].map(e => e.textContent)"


def shown(page, tables: bool = False) -> str:
    """The main area's text, with the dataframes' cells (glide-data-grid draws on a canvas; its hidden
    accessible table holds the cells). `tables`: wait until every dataframe has them."""
    if tables:
        page.wait_for_function(FRAMES_FILLED, timeout=60_000)
    main = page.locator('[data-testid="stMain"]').inner_text()
    return main + "\n" + "\n".join(page.evaluate(CELLS))


def assert_literal(page, strings, where: str, tables: bool = False) -> None:
    text = shown(page, tables)
    for s in strings:
        assert s in text, (where, s)
    assert page.evaluate(MARKUP) == {
        "emphasis": [], "katex": 0, "coloured": [], "images": 0, "plotly_bold": []
    }, where  # fmt: skip


def fill(page, name: str, value: str) -> None:
    """Type into a text box and commit it (Ctrl+Enter for a text area, Enter for an input)."""
    box = page.get_by_role("textbox", name=name, exact=True)
    box.fill(value)
    box.press("Control+Enter" if "\n" in value or box.evaluate("e => e.tagName") == "TEXTAREA" else "Enter")
    wait_until_idle(page)


def act(page, label: str) -> None:
    click_button(page, label)
    page.wait_for_timeout(500)
    wait_until_idle(page, timeout_ms=120_000)


def open_page(page, url: str, path: str, heading: str) -> None:
    page.goto(f"{url}/{path}", timeout=60_000)
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    wait_until_idle(page)


def hover_texts(page, plot) -> list[str]:
    """Hover over every marker of the map and read plotly's hover labels."""
    seen = []
    for point in plot.locator(".scatterlayer .trace .points path.point").all():
        box = point.bounding_box()
        if box:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(150)
            seen.append(" ".join(plot.locator(".hoverlayer text").all_text_contents()))
    page.mouse.move(0, 0)
    return seen


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
def test_sentences_show_literally_in_every_page(tmp_path, tiny_grammar_run, monkeypatch):
    from playwright.sync_api import sync_playwright

    from core.corpus.normalize import normalize_text
    from explorer.corpora import upload
    from explorer.jobs import DATA_DIR_ENV

    runs = tmp_path / "runs"
    runs.mkdir()
    add_run(tiny_grammar_run, runs, "tiny-rev")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "uploads"))  # the server inherits it
    corpus = "".join(f"{s}\t{s}\n" for s in STRINGS) + "John admires Mary\tJean admire Marie\n"
    upload.save_upload(upload.Upload("escaping.tsv", corpus.encode()))
    server, url = start_server(runs, tmp_path / "streamlit.log")
    dialogs = []
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p, CHROMIUM)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

            # Translate: the typed sentences and the words the model never saw
            open_page(page, url, "Translate", "Translate")
            fill(page, "Sentence (one per line)", "\n".join(STRINGS))
            act(page, "Translate")
            assert_literal(page, STRINGS, "Translate")
            assert "Words this model never saw: $x$, **bold**, :red[y]" in shown(page)

            # Thought Vectors: typed groups (map labels, hover text, heatmap), then the trajectory
            open_page(page, url, "Thought_Vectors", "Thought Vectors")
            page.get_by_text("Typed sentence groups").click()
            wait_until_idle(page)
            fill(page, "One sentence per line, a blank line between groups (or paste a probe suite TSV)",
                 "\n".join(STRINGS) + "\n\nJohn admires Mary\nMary admires John")  # fmt: skip
            act(page, "Draw the maps")
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
            page.get_by_text("Cosine similarity heatmap").click()
            wait_until_idle(page)
            plots = page.locator(".js-plotly-plot")
            assert plots.count() == 2  # the map and the heatmap
            assert_literal(page, STRINGS, "Thought Vectors")
            labels = page.evaluate(PLOT_TEXT)
            for s in STRINGS:  # a label on the map and a row and a column of the heatmap
                assert labels.count(s) >= 3, (s, labels)
            hovers = hover_texts(page, plots.first)
            assert any(s in h for h in hovers for s in STRINGS), hovers  # hover text as typed
            fill(page, "Sentences to trace (one per line, at most 8)", "\n".join(STRINGS))
            act(page, "Trace")
            assert plots.count() == 3
            legend = plots.nth(2).locator(".legend text").all_text_contents()
            assert all(s in legend for s in STRINGS), legend
            assert_literal(page, STRINGS, "Thought Vectors: trajectory")

            # Probe Lab: nearest neighbours (a table), interpolation and offset (errors quote the sentence)
            open_page(page, url, "Probe_Lab", "Probe Lab")
            page.get_by_role("tab", name="Nearest neighbours").click()
            fill(page, "Sentences (one per line)", "\n".join(STRINGS))
            page.get_by_role("slider", name="Neighbours").press("Home")  # one row per query: all in view
            wait_until_idle(page)
            act(page, "Find neighbours")
            assert_literal(page, STRINGS, "Probe Lab: neighbours", tables=True)
            page.get_by_role("tab", name="Vector surgery").click()
            fill(page, "From", MARKDOWN)  # the error names the first sentence with unknown words
            fill(page, "To", HTML)
            act(page, "Interpolate")
            assert_literal(page, (MARKDOWN,), "Probe Lab: interpolation")
            fill(page, "Sentence", PLOTLY_TAGS)
            act(page, "Add the offset and decode")
            assert_literal(page, (PLOTLY_TAGS,), "Probe Lab: offset")

            # Data: a corpus uploaded before, holding the strings
            open_page(page, url, "Data", "Data")
            page.get_by_text("A corpus uploaded before").click()
            wait_until_idle(page)
            page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
            # the readers normalise a corpus (the zero-width space is dropped): shown as the engine read it
            assert_literal(page, [normalize_text(s) for s in STRINGS], "Data", tables=True)
            browser.close()
    finally:
        stop_server(server)
    assert dialogs == []
    log = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in log, log[-3000:]
