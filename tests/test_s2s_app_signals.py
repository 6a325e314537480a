"""`s2s app` stopped as a process manager, `docker stop`, `kill` or Ctrl-C stops it leaves no
Streamlit server behind: the signal is passed on and waited for; kill -9 is answered by the kernel."""

import os
import signal
import socket
import sys

import psutil
import pytest

from scripts.app_browser import free_port, launch_server, stop_server


def port_is_free(port: int) -> bool:
    """Nothing listens on 127.0.0.1:port (SO_REUSEADDR: closed connections in TIME_WAIT do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["term", "int", "kill"]
)
def test_a_signal_to_s2s_app_ends_its_server_and_frees_the_port(tmp_path, signum):
    port = free_port()
    command = [sys.executable, "-m", "core", "app", "--port", str(port)]
    app, _ = launch_server(command, tmp_path, tmp_path / "streamlit.log", port, cwd=tmp_path)
    children = psutil.Process(app.pid).children(recursive=True)
    try:
        assert children and not port_is_free(port)  # the Streamlit server, listening
        os.kill(app.pid, signum)  # s2s app alone, as `kill` or a process manager would
        status = app.wait(60)
        _, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, [p.cmdline() for p in alive]
        assert port_is_free(port)
        if signum != signal.SIGKILL:  # it waited for the server, which stopped cleanly
            assert status == 0, (tmp_path / "streamlit.log").read_text()[-2000:]
    finally:
        stop_server(app)
        for child in children:  # whatever a failed check left
            if child.is_running():
                child.kill()
