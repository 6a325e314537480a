"""The command line's test helpers: a one-line error checked, `s2s` as a real process, a tiny model."""

import io
import os
import subprocess
import sys

from core.cli import main
from tests.helpers import ROOT

# a word-level model small enough to train in a second on tests/data/numbers.tsv
TINY = ["--preset", "tiny", "--tokenizer", "word", "--hidden", "32", "--emb-dim", "16", "--batch-size", "16"]


def one_line_error(capsys, argv, match, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert match in err, err
    return err


def s2s(*args, **kw):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    return subprocess.Popen([sys.executable, "-m", "core", *args], cwd=ROOT, env=env, **pipes, **kw)
