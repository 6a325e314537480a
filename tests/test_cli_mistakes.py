"""Mistakes a real user makes on the command line: each ends with one line on stderr and exit
status 2 (never a traceback), and leaves nothing half-written behind."""

import pytest

from tests.test_cli import TINY, one_line_error
from tests.toy import NUMBERS_TSV


@pytest.mark.parametrize(
    "flags, match",
    [
        (["--hidden", "0"], "--hidden must be at least 1"),
        (["--layers", "0"], "--layers must be at least 1"),
        (["--emb-dim", "0"], "--emb-dim must be at least 1"),
        (["--dropout", "2"], "--dropout must be at least 0 and below 1"),
        (["--lr", "-1"], "--lr must be a positive number"),
        (["--lr", "nan"], "--lr must be a positive number"),
        (["--init-range", "-1"], "--init-range must be a positive number"),
        (["--clip-norm", "0"], "--clip-norm must be a positive number"),  # 0 would zero every gradient
        (["--bucket-pool", "0"], "--bucket-pool must be at least 1"),
        (["--max-len", "0"], "--max-len must be at least 1"),
        (["--dev-bleu-sentences", "-1"], "--dev-bleu-sentences must be 0 or more"),
        (["--threads", "-1"], "--threads must be at least 1"),
        (["--epochs", "0"], "--epochs must be a positive number"),  # trained one step before
        (["--epochs", "-1"], "--epochs must be a positive number"),
    ],
)
def test_out_of_range_training_options_leave_no_run(tmp_path, capsys, flags, match):
    out = tmp_path / "run"
    argv = ["train", "--data", str(NUMBERS_TSV), "--out", str(out), *TINY, *flags]
    if "--epochs" not in flags:
        argv += ["--steps", "5"]
    one_line_error(capsys, argv, match)
    assert not out.exists()
