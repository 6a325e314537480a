"""`s2s app`: start the Streamlit app (Home.py next to the package).

It listens on this machine only (127.0.0.1) unless `--host` says otherwise: whoever reaches the
port can start training processes and upload files, and the app has no login of its own.
SIGTERM and SIGINT are passed on to the Streamlit server, which is waited for; if `s2s app` is
killed outright, the kernel stops the server (core.child_process).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.child_process import run_forwarding
from core.errors import UserError
from core.run.folder import RUNS_DIR_ENV

HOME = Path(__file__).resolve().parents[2] / "Home.py"
LOCAL_HOST = "127.0.0.1"  # this machine only; the Dockerfile passes 0.0.0.0 (reached from outside)
DEFAULT_PORT = 8501  # Streamlit's own default
MAX_PORT = 65535  # TCP ports are 16-bit; 0 would let the system pick one the user does not know


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="start the Streamlit app")
    p.add_argument(
        "--host",
        default=LOCAL_HOST,
        help=f"address to listen on (default {LOCAL_HOST}: this machine only; 0.0.0.0: every interface, "
        "so anyone who reaches the port can train and upload: put it behind a proxy with a login)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--runs-dir", default=None, help="folder holding the runs (default ./runs)")
    p.set_defaults(handler=run)


def streamlit_command(host: str, port: int) -> list[str]:
    """The `streamlit run Home.py` command line of `s2s app`."""
    server = ["--server.address", host, "--server.port", str(port)]
    return [sys.executable, "-m", "streamlit", "run", str(HOME), *server]


def run(args) -> int:
    if not 1 <= args.port <= MAX_PORT:
        raise UserError(f"--port must be between 1 and {MAX_PORT}, not {args.port}")
    if not HOME.exists():
        raise UserError(f"Home.py not found at {HOME}: run `s2s app` from a source checkout")
    if args.host != LOCAL_HOST:
        print(
            f"s2s app: listening on {args.host}: anyone who can reach port {args.port} can start training "
            "processes and upload files here. Put it behind a reverse proxy that asks for a login.",
            file=sys.stderr,
        )
    env = None
    if args.runs_dir:
        env = {**os.environ, RUNS_DIR_ENV: str(Path(args.runs_dir).resolve())}
    # SIGTERM or Ctrl-C: passed on to the server and waited for, so no server outlives s2s app
    return run_forwarding(streamlit_command(args.host, args.port), env=env)
