"""`s2s app`: start the Streamlit app (Home.py next to the package)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.errors import UserError


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="start the Streamlit app")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--runs-dir", default=None, help="folder holding the runs (default ./runs)")
    p.set_defaults(handler=run)


def run(args) -> int:
    app = Path(__file__).resolve().parents[2] / "Home.py"
    if not app.exists():
        raise UserError(f"Home.py not found at {app}: run `s2s app` from a source checkout")
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port)]
    env = None
    if args.runs_dir:
        import os

        env = {**os.environ, "S2S_RUNS_DIR": str(Path(args.runs_dir).resolve())}
    return subprocess.call(cmd, env=env)
