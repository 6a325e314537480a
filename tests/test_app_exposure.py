"""Who can reach the app: `make app` and `s2s app` listen on this machine only unless told otherwise.

Whoever reaches the port can start training processes and upload files (the app has no login).
"""

import os
import re
import shutil
import subprocess
import sys

import psutil
import pytest

from core.cli import build_parser
from core.cli.app import LOCAL_HOST, streamlit_command
from scripts.app_browser import free_port, launch_server, stop_server
from tests.helpers import ROOT


def listening_addresses(process: psutil.Process, port: int) -> set[str]:
    """The addresses `process` or its children listen on at `port`."""
    addresses = set()
    for p in [process, *process.children(recursive=True)]:
        for conn in p.net_connections(kind="inet"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port:
                addresses.add(conn.laddr.ip)
    return addresses


def test_s2s_app_listens_on_127_0_0_1_only(tmp_path):
    """Started from another folder, so .streamlit/config.toml plays no part: the flag does it."""
    port = free_port()
    cmd = [sys.executable, "-m", "core", "app", "--port", str(port)]
    server, _ = launch_server(cmd, tmp_path, tmp_path / "streamlit.log", port, cwd=tmp_path)
    try:
        assert listening_addresses(psutil.Process(server.pid), port) == {"127.0.0.1"}
    finally:
        stop_server(server)


def test_s2s_app_host_flag_reaches_streamlit():
    args = build_parser().parse_args(["app"])
    assert args.host == LOCAL_HOST == "127.0.0.1"
    command = streamlit_command(args.host, args.port)
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    args = build_parser().parse_args(["app", "--host", "0.0.0.0", "--port", "9000"])
    command = streamlit_command(args.host, args.port)
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert command[command.index("--server.port") + 1] == "9000"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_app_is_s2s_app_and_passes_host_only_when_asked():
    def recipe(*variables: str, **environment: str) -> str:
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "HOST", "PORT")}
        env |= environment
        cmd = ["make", "-n", "--no-print-directory", "app", *variables]
        out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        (line,) = [line for line in out.stdout.splitlines() if " app" in line and "core" in line]
        return line

    assert "-m core app" in recipe() and "--host" not in recipe()  # s2s app's default: 127.0.0.1
    assert "--host 0.0.0.0" in recipe("HOST=0.0.0.0")
    assert "--host" not in recipe(HOST="somehost")  # tcsh exports HOST (the machine's name): not an address


def test_only_the_container_listens_on_every_interface_and_xsrf_stays_on():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--server.address=0.0.0.0" in dockerfile  # reached from outside its container
    assert "-p 127.0.0.1:8501:8501" in dockerfile  # and published on the host's loopback only
    config = (ROOT / ".streamlit" / "config.toml").read_text()  # tomllib is Python 3.11+
    assert re.search(r"^enableXsrfProtection\s*=\s*true\s*$", config, re.M)
    assert not re.search(r"^address\s*=", config, re.M)  # the address comes from s2s app or the Dockerfile
