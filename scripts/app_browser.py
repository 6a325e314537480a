"""A real Streamlit server and Debian's Chromium driven by playwright: for the browser tests and
scripts/screenshots.py (which imports no test code)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from core.run.demo import DEMO_DIR_ENV
from core.run.folder import RUNS_DIR_ENV
from explorer.messages import RAISE_ENV

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "Home.py"

CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    runs_dir: Path, log: Path, port: int | None = None, demo: Path | None = None
) -> tuple[subprocess.Popen, str]:
    """`streamlit run Home.py` on a free localhost port; returns (process, base URL) once healthy.
    It shows the demo files in `demo` (e.g. core.run.demo.DEMO_ROOT), none without.

    One PyTorch thread: on a shared 2-core machine, two threads per process slow down badly.
    """
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    return launch_server(cmd, runs_dir, log, port, cwd=ROOT, demo=demo)


def launch_server(
    cmd: list[str], runs_dir: Path, log: Path, port: int, cwd: Path, demo: Path | None = None
) -> tuple[subprocess.Popen, str]:
    """Start `cmd` (a Streamlit server on `port`) in its own session; wait until it answers. It
    shows the demo files in `demo`, none without."""
    env = {**os.environ, RUNS_DIR_ENV: str(runs_dir), "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env[DEMO_DIR_ENV] = str(demo or log.parent / "no-demo")
    env.pop(RAISE_ENV, None)
    out = open(log, "w")  # noqa: SIM115 (closed with the process by stop_server)
    process = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError(f"streamlit did not answer on {url}: {log.read_text()[-2000:]}")


def stop_server(process: subprocess.Popen) -> None:
    """End the server and whatever it started (`s2s app` runs Streamlit as its child)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def launch_chromium(playwright, executable: str):
    """Debian's Chromium driven by playwright (never `playwright install`: nothing is downloaded)."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def wait_until_idle(page, timeout_ms: int = 60_000) -> None:
    """Until Streamlit has rendered and no script run is in progress."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    # the script's state, not the title: a page draws its title and controls before its heavy imports
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
        " && document.querySelector('[data-testid=\"stApp\"]').dataset.testScriptState === 'notRunning'",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)  # let plotly finish its first draw


def click_button(page, label: str, timeout_ms: int = 60_000) -> None:
    page.get_by_role("button", name=label).click(timeout=timeout_ms)
