"""The command line: the contract of the README, and one-line errors with exit status 2."""

import gzip
import io
import json
import signal
import sys
import time

import numpy as np
import pytest

from core.cli import main
from tests.helpers.cli import TINY, one_line_error, s2s
from tests.helpers.toy import NUMBERS_TSV


@pytest.fixture
def run_dir(tiny_numbers_run):
    return tiny_numbers_run  # read-only here


def test_translate_eval_embed_on_a_trained_run(run_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("one two\nseven\n"))
    assert main(["translate", "--run", str(run_dir), "--beam", "3"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2

    # an empty line gives an empty line: the output stays aligned with the input
    monkeypatch.setattr(sys, "stdin", io.StringIO("one two\n\nseven\n"))
    assert main(["translate", "--run", str(run_dir), "--beam", "2"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[3] == ""

    monkeypatch.setattr(sys, "stdin", io.StringIO(" ".join(["one"] * 1200) + "\n"))
    assert main(["translate", "--run", str(run_dir), "--beam", "1"]) == 0
    assert "only its first 1,000 tokens are read" in capsys.readouterr().err

    monkeypatch.setattr(sys, "stdin", io.StringIO("one two\n"))
    assert main(["translate", "--run", str(run_dir), "--beam", "3", "--nbest", "2"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [r[0] for r in rows] == ["0", "0"] and float(rows[0][1]) >= float(rows[1][1])

    assert main(["eval", "--run", str(run_dir), "--test", str(NUMBERS_TSV), "--limit", "50"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"bleu", "chrf", "ppl", "signature", "by_length"} <= report.keys() and report["n"] == 50

    sentences = tmp_path / "s.txt"
    sentences.write_text("one two three\nfour\nfive six\n")
    out = tmp_path / "v.npy"
    argv = ["embed", "--run", str(run_dir), "--input", str(sentences), "--output", str(out)]
    assert main([*argv, "--state", "hc", "--layers", "all"]) == 0
    assert np.load(out).shape == (3, 2 * 2 * 32) and np.load(out).dtype == np.float32
    assert main([*argv, "--state", "h", "--layers", "top"]) == 0
    assert np.load(out).shape == (3, 32)


@pytest.mark.parametrize(
    "content, match",
    [
        ("café\tcafé\n".encode("latin-1"), "not UTF-8"),
        (b"no tab on this line\n", "line 1"),
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
    ],
    ids=["latin1", "no-tab", "empty", "binary"],
)
def test_bad_corpus_is_one_line_and_leaves_no_run(tmp_path, capsys, content, match):
    corpus = tmp_path / "corpus.tsv"
    corpus.write_bytes(content)
    out = tmp_path / "run"
    one_line_error(capsys, ["train", "--data", str(corpus), "--out", str(out), *TINY], match)
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["corpus.tsv"]


def test_mismatched_moses_files(tmp_path, capsys):
    (tmp_path / "a.en").write_text("one\ntwo\nthree\n")
    with gzip.open(tmp_path / "a.fr.gz", "wt") as f:
        f.write("un\ndeux\n")
    data = f"{tmp_path / 'a.en'},{tmp_path / 'a.fr.gz'}"
    one_line_error(capsys, ["train", "--data", data, "--out", str(tmp_path / "run"), *TINY], "3")
    assert not (tmp_path / "run").exists()


def test_user_mistakes_on_runs(run_dir, tmp_path, capsys, monkeypatch):
    one_line_error(
        capsys, ["translate", "--run", str(tmp_path / "nope")], "does not exist", "hi\n", monkeypatch
    )
    one_line_error(
        capsys, ["translate", "--run", str(run_dir)], "every input line is empty", "\n \n", monkeypatch
    )
    one_line_error(capsys, ["translate", "--run", str(run_dir), "--beam", "2", "--nbest", "3"], "larger than")
    one_line_error(
        capsys, ["train", "--data", str(NUMBERS_TSV), "--out", str(run_dir), *TINY], "already exists"
    )
    one_line_error(capsys, ["train", "--data", str(NUMBERS_TSV), "--out", str(tmp_path / "r"), "--preset", "huge"],
                   "unknown preset")  # fmt: skip
    one_line_error(capsys, ["train", "--out", str(tmp_path / "r")], "--data is required")
    one_line_error(capsys, ["train", "--out", str(tmp_path / "r2"), "--resume"], "cannot resume")
    one_line_error(
        capsys, ["embed", "--run", str(run_dir), "--input", str(NUMBERS_TSV), "--output", "v.txt"], ".npy"
    )
    one_line_error(capsys, ["eval", "--run", str(run_dir), "--test", str(tmp_path / "none.tsv")], "none.tsv")
    (tmp_path / "weights.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    one_line_error(capsys, ["eval", "--run", str(run_dir), "--test", str(tmp_path / "weights.png")], "binary")
    if not __import__("torch").cuda.is_available():
        argv = ["train", "--data", str(NUMBERS_TSV), "--out", str(tmp_path / "g"), "--device", "cuda", *TINY]
        one_line_error(capsys, argv, "no GPU")


@pytest.mark.slow
def test_sigterm_stops_cleanly_with_a_checkpoint_and_resume_finishes(tmp_path):
    out = tmp_path / "run"
    proc = s2s("train", "--data", str(NUMBERS_TSV), "--out", str(out), "--steps", "100000", *TINY,
               "--log-every", "5", "--checkpoint-every", "100000", "--eval-every", "100000")  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline and not any(r["step"] >= 10 for r in _train_records(out)):
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "--resume" in err
    status = json.loads((out / "status.json").read_text())
    assert status["state"] == "stopped" and 10 <= status["step"] < 100000
    resumed = s2s("train", "--out", str(out), "--resume", "--steps", str(status["step"] + 5), "--no-progress")
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert json.loads((out / "status.json").read_text())["state"] == "finished"


def _train_records(out):
    try:
        return [
            json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines() if '"train"' in line
        ]
    except (FileNotFoundError, json.JSONDecodeError):
        return []


def test_model_too_big_for_memory_is_refused_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "huge"
    argv = ["train", "--data", str(NUMBERS_TSV), "--out", str(out), "--preset", "paper", "--hidden", "200000"]
    one_line_error(capsys, argv, "does not fit in memory")
    assert not out.exists()
