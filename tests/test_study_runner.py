"""`s2s study`: bad input is refused before anything is written; a tiny study killed after its
first run resumes without retraining it, and its report has every section with finite numbers."""

import json
import math
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from core.cli import main
from core.run.folder import STATUS, read_json
from core.study.layout import REPORT_HTML, REPORT_JSON, read_study
from core.study.runner import RunnerConfig, run_state, train_command
from tests.helpers.study import SECTIONS, finite_numbers

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--data", "grammar:3000", "--preset", "tiny", "--steps", "60", "--eval-every", "20",
        "--checkpoint-every", "20", "--beam", "2", "--max-sentences", "60", "--cka-sentences", "60"]  # fmt: skip


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--arms", "forward,sideways"], "unknown arm 'sideways'"),
        (["--arms", "reversed"], "needs forward"),
        (["--seeds", "0"], "--seeds must be at least 1"),
        (["--hidden", "0"], "--hidden must be at least 1"),
        (["--dropout", "1.5"], "--dropout must be"),
        (["--beam", "0"], "--beam must be"),
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--data", "no/such/file.tsv"], "not found"),
        (["--preset", "huge"], "unknown preset"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, argv, message):
    out = tmp_path / "study"
    assert main(["study", "--out", str(out), *TINY, *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1, err
    assert not out.exists()


def test_a_study_needs_data_and_keeps_its_settings(tmp_path, capsys):
    out = tmp_path / "study"
    assert main(["study", "--out", str(out)]) == 2
    assert "--data is required" in capsys.readouterr().err
    (out / "stray").mkdir(parents=True)
    assert main(["study", "--out", str(out), *TINY]) == 2
    assert "not a study" in capsys.readouterr().err


def _study(out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "core", "study", "--out", str(out), *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip


def _step(run: Path) -> int:
    return int(read_json(run / STATUS).get("step", 0)) if (run / STATUS).is_file() else 0


def _wait(condition, timeout: float = 300) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


@pytest.mark.slow
def test_a_killed_study_resumes_without_retraining_and_reports(tmp_path):
    out = tmp_path / "study"
    first = out / "runs" / "forward-s0"
    proc = _study(out, *TINY, "--seeds", "2", "--jobs", "1", "--threads", "1", "--no-report")
    second = out / "runs" / "reversed-s0"
    _wait(lambda: _step(second) >= 20 or proc.poll() is not None)  # the second run is past a checkpoint
    proc.kill()  # no clean-up of its own: its trainer gets SIGTERM from the kernel (PR_SET_PDEATHSIG)
    proc.communicate()
    _wait(lambda: run_state(second) != "running")
    assert run_state(first) == "finished" and run_state(second) != "finished"
    weights = (first / "model.safetensors").stat().st_mtime_ns
    log = (out / "logs" / "forward-s0.log").read_text()

    resumed = _study(out, "--jobs", "2")  # only --out: the study's own settings
    output, _ = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, output
    assert "starting forward-s0" not in output and "resuming forward-s0" not in output
    assert (first / "model.safetensors").stat().st_mtime_ns == weights  # not retrained
    assert (out / "logs" / "forward-s0.log").read_text() == log
    assert all(run_state(out / "runs" / name) == "finished"
               for name in ("forward-s0", "reversed-s0", "forward-s1", "reversed-s1"))  # fmt: skip
    spec = read_study(out)
    assert spec.seeds == 2 and spec.threads == 1
    reference = tmp_path / "reference"  # reversed-s0 again, never interrupted: the same bits
    command = train_command(spec, reference, "reversed", 0, RunnerConfig(threads=spec.threads), resume=False)
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    resumed_weights = load_file(second / "model.safetensors")
    assert (
        resumed_weights.keys()
        == (ref := load_file(reference / "runs" / "reversed-s0" / "model.safetensors")).keys()
    )
    assert all(torch.equal(resumed_weights[k], ref[k]) for k in ref)

    report = json.loads((out / REPORT_JSON).read_text())
    for section in SECTIONS:
        assert report[section], section
    assert all(math.isfinite(n) for n in finite_numbers(report))
    assert report["provenance"]["seeds"] == [0, 1] and not report["missing_runs"]
    assert report["scores"]["test"]["ppl"]["arms"]["forward"]["low"] is not None
    assert report["probes"]["over_training"], "the runs log probe records at every dev evaluation"
    # what the arms shared, read from the real runs' start records
    assert [(a["seed"], a["arm"], a["alike"]) for a in report["alike"]["arms"]] == [
        (0, "reversed", True),
        (1, "reversed", True),
    ]
    assert (out / REPORT_HTML).stat().st_size > 1_000_000  # plotly.js inlined

    again = _study(out, *TINY, "--seeds", "3")
    output, _ = again.communicate(timeout=120)
    assert again.returncode == 2 and "other settings" in output and "seeds 3" in output
