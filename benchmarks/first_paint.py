"""First paint in Chromium: seconds from the server's health check to the page's title, with an
empty runs folder, on a freshly started server (the first script run imports what the page needs).

    .venv/bin/python benchmarks/first_paint.py --trials 3                      # this tree
    .venv/bin/python benchmarks/first_paint.py --trials 3 --before OTHER_TREE  # and a reference tree

With --before (a copy of another commit, e.g. `git archive main | tar -x -C /tmp/before`), trials
alternate between the two trees, so both see the same load. For each page: the title's first
paint, and for Thought Vectors also the first Figure 2 map (drawn with no click on the demo pair).
JSON on stdout and in benchmarks/out/first_paint.json. Debian's Chromium via playwright.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import CACHE  # noqa: E402
from scripts.app_browser import chromium_path, free_port, launch_chromium, launch_server, stop_server  # noqa: E402

PAGES = {
    "Home": ("", "Seq2Seq Explorer"),
    "Thought Vectors": ("Thought_Vectors", "Thought Vectors"),
    "Translate": ("Translate", "Translate"),
    "Study": ("Study", "Study"),
}
MAP = ".js-plotly-plot"  # a drawn plotly figure


def server_command(tree: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(tree / "Home.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def one_trial(playwright, tree: Path, page_key: str, work: Path) -> dict:
    """Start a server on `tree`, open one page; seconds from health to title (and to a map)."""
    import os

    path, title = PAGES[page_key]
    runs = work / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    os.environ["PYTHONPATH"] = str(tree)
    started = time.perf_counter()
    server, url = launch_server(
        server_command(tree, port), runs, work / "streamlit.log", port, cwd=tree, demo=tree / "demo"
    )
    healthy = time.perf_counter()
    result = {"server_start_s": round(healthy - started, 2)}
    browser = launch_chromium(playwright, chromium_path())
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        opened = time.perf_counter()
        page.goto(f"{url}/{path}", timeout=120_000)
        page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
        result["first_paint_s"] = round(time.perf_counter() - healthy, 2)
        result["from_goto_s"] = round(time.perf_counter() - opened, 2)
        if page_key == "Thought Vectors":
            try:
                page.wait_for_selector(MAP, timeout=120_000)
                result["map_s"] = round(time.perf_counter() - healthy, 2)
            except Exception:
                result["map_s"] = None  # no map came (the reference tree draws none without a click)
    finally:
        browser.close()
        stop_server(server)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a reference tree (another commit's files)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated: " + ", ".join(PAGES))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    trees = {"after": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    results: dict = {label: {p: [] for p in args.pages.split(",")} for label in trees}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        for trial in range(args.trials):
            for page_key in args.pages.split(","):
                for label, tree in trees.items():  # alternate: both trees see the same load
                    work = Path(tmp) / f"{label}-{page_key}-{trial}".replace(" ", "_")
                    results[label][page_key].append(one_trial(playwright, tree, page_key, work))
                    print(label, page_key, results[label][page_key][-1], file=sys.stderr, flush=True)
    summary = {
        label: {
            page: {
                "first_paint_s_median": statistics.median(t["first_paint_s"] for t in trials),
                **({"map_s": [t.get("map_s") for t in trials]} if page == "Thought Vectors" else {}),
                "trials": trials,
            }
            for page, trials in pages.items()
        }
        for label, pages in results.items()
    }
    out = {"benchmark": "first_paint", "trials": args.trials, "results": summary}
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "first_paint.json").write_text(json.dumps(out, indent=2), encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
