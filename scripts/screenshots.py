"""Screenshots of the main pages for the README, taken in headless Chromium like tests/test_browser.py.

    .venv/bin/python scripts/screenshots.py                # what a newcomer sees: the shipped demo (demo/)
    .venv/bin/python scripts/screenshots.py --train        # trains two small runs first (a few minutes)
    .venv/bin/python scripts/screenshots.py --train --runs DIR  # the same, keeping (or reusing) the runs in DIR
    .venv/bin/python scripts/screenshots.py --study DIR/NAME   # only the Study page, on that study's report

Writes docs/{home,train,translate,thought_vectors,compare,probe_lab}.png, or docs/study.png
(1280x800, palette PNG).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.run.demo import DEMO_ROOT  # noqa: E402
from explorer import jobs  # noqa: E402
from explorer.study.studies import STUDIES_DIR_ENV  # noqa: E402
from explorer.train.command import TrainOptions  # noqa: E402
from scripts.app_browser import (  # noqa: E402
    chromium_path,
    click_button,
    launch_chromium,
    start_server,
    stop_server,
    wait_until_idle,
)

VIEWPORT = {"width": 1280, "height": 800}
STEPS = 1500  # enough for the reversed run to pass dev BLEU 60 on the built-in corpus


def train_pair(runs: Path) -> None:
    """fig2-reversed and fig2-forward: preset fast, shortened, one thread each, in parallel."""
    processes = jobs.TrainingProcesses()
    for run, reverse in zip(jobs.figure2_paths(runs), (False, True)):
        if not run.exists():
            processes.start(TrainOptions(data="grammar", preset="fast", reverse_source=reverse, steps=STEPS,
                                         seed=jobs.FIGURE2_SEED, threads=1), run)  # fmt: skip
    for run in jobs.figure2_paths(runs):
        while processes.job_state(run).state in ("starting", "running"):
            time.sleep(2)
        state = processes.job_state(run)
        if state.state != "finished":
            raise SystemExit(f"{run.name}: {state.state}: {state.message}")
        print(f"trained {run}", file=sys.stderr)


def save(page, path: Path) -> None:
    """A viewport screenshot, quantised to a 256-colour palette (a fraction of the size)."""
    from PIL import Image

    raw = path.with_suffix(".raw.png")
    page.screenshot(path=str(raw))
    with Image.open(raw) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    raw.unlink()
    print(f"{path} {path.stat().st_size // 1024} KB", file=sys.stderr)


def shoot(url: str, out: Path, chromium: str, trained: bool) -> None:
    """Every page but Study; `trained`: the Figure 2 runs of Home's button are there (else the demo)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p, chromium)
        page = browser.new_page(viewport=VIEWPORT)

        page.goto(url, timeout=60_000)
        page.get_by_role("heading", name="Runs").wait_for(timeout=60_000)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)  # drawn by a fragment
        page.get_by_role("button", name="Reproduce Figure 2").wait_for(timeout=60_000)
        if trained:
            page.locator('[data-testid="stProgress"]').first.wait_for(timeout=60_000)
        page.get_by_text("On this machine, now").first.wait_for(timeout=120_000)  # the timed estimate
        wait_until_idle(page)
        page.wait_for_timeout(1000)
        save(page, out / "home.png")

        page.goto(f"{url}/Train", timeout=60_000)
        page.get_by_role("heading", name="Follow a run").wait_for(timeout=60_000)
        wait_until_idle(page)
        page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        page.mouse.wheel(0, 250)
        wait_until_idle(page)
        save(page, out / "train.png")

        page.goto(f"{url}/Translate", timeout=60_000)
        page.get_by_role("heading", name="Translate").wait_for(timeout=60_000)
        wait_until_idle(page)
        click_button(page, "Translate")
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
        wait_until_idle(page)
        page.mouse.wheel(0, 200)
        wait_until_idle(page)
        save(page, out / "translate.png")

        page.goto(f"{url}/Thought_Vectors", timeout=60_000)
        page.get_by_role("heading", name="Thought Vectors").wait_for(timeout=60_000)
        page.get_by_text("Probe score: margin").first.wait_for(timeout=180_000)  # drawn with no click
        wait_until_idle(page)
        page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        page.mouse.wheel(0, 120)
        wait_until_idle(page)
        save(page, out / "thought_vectors.png")

        page.goto(f"{url}/Compare", timeout=60_000)
        page.get_by_role("heading", name="Training curves").wait_for(timeout=60_000)
        wait_until_idle(page)
        page.get_by_role("heading", name="Training curves").scroll_into_view_if_needed()
        page.mouse.wheel(0, 330)
        page.get_by_role("tab", name="Dev BLEU").click()
        wait_until_idle(page)
        save(page, out / "compare.png")

        page.goto(f"{url}/Probe_Lab", timeout=60_000)
        page.get_by_role("tab", name="Vector surgery").click(timeout=60_000)
        click_button(page, "Interpolate")
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=120_000)
        click_button(page, "Add the offset and decode")
        page.get_by_text("Offset norm").first.wait_for(timeout=120_000)
        wait_until_idle(page)
        page.get_by_text("Interpolate between").scroll_into_view_if_needed()
        page.mouse.wheel(0, 60)
        wait_until_idle(page)
        save(page, out / "probe_lab.png")
        browser.close()


def shoot_study(url: str, out: Path, chromium: str) -> None:
    """The Study page on a finished study: its summary, then its first figure (the scores)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p, chromium)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{url}/Study", timeout=60_000)
        page.get_by_role("heading", name="Summary").wait_for(timeout=120_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=120_000)
        wait_until_idle(page)
        page.get_by_role("heading", name="Summary").evaluate("e => e.scrollIntoView({block: 'start'})")
        wait_until_idle(page)
        page.wait_for_timeout(1000)
        save(page, out / "study.png")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs",
        type=Path,
        help="the runs folder (default: a temporary one); fig2-* runs are trained there if missing",
    )
    parser.add_argument(
        "--train", action="store_true", help="train the Figure 2 pair and shoot it, not the demo"
    )
    parser.add_argument("--study", type=Path, help="a finished study folder: shoot only the Study page on it")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        print("Chromium not found (apt-get install chromium)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        runs = args.runs.resolve() if args.runs else Path(tmp) / "runs"
        runs.mkdir(exist_ok=True)
        if args.study:  # the server inherits where studies are: a folder holding only this one
            studies = Path(tmp) / "studies"
            studies.mkdir()
            (studies / args.study.name).symlink_to(args.study.resolve(), target_is_directory=True)
            os.environ[STUDIES_DIR_ENV] = str(studies)
        elif args.train:
            train_pair(runs)  # the runs that are missing
        else:  # a newcomer's first visit: no runs, no studies of their own
            os.environ[STUDIES_DIR_ENV] = str(Path(tmp) / "studies")
        server, url = start_server(runs, Path(tmp) / "streamlit.log", demo=None if args.train else DEMO_ROOT)
        try:
            if args.study:
                shoot_study(url, args.out, chromium)
            else:
                shoot(url, args.out, chromium, trained=args.train)
                if not args.train:
                    shoot_study(url, args.out, chromium)  # the demo study
        finally:
            stop_server(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
