"""Mistakes a real user makes on the command line: each ends with one line on stderr and exit
status 2 (never a traceback), and leaves nothing half-written behind."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from core.cli import main
from tests.helpers.cli import TINY, one_line_error
from tests.helpers.toy import NUMBERS_TSV


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


@pytest.fixture
def finished_run(tiny_numbers_run):
    return tiny_numbers_run  # 6 steps, finished; read-only here (run_copy changes a copy)


@pytest.fixture
def run_copy(finished_run, tmp_path):
    return Path(shutil.copytree(finished_run, tmp_path / "run"))


def status(run):
    return json.loads((run / "status.json").read_text())


def test_resume_extension_is_kept_for_a_later_plain_resume(run_copy, capsys):
    assert main(["train", "--out", str(run_copy), "--resume", "--steps", "10"]) == 0
    assert json.loads((run_copy / "config.json").read_text())["train"]["steps"] == 10
    # a plain --resume after the extension (e.g. after a Ctrl-C) must not shrink the run back to 6
    assert main(["train", "--out", str(run_copy), "--resume"]) == 0
    assert (status(run_copy)["step"], status(run_copy)["total_steps"]) == (10, 10)
    assert "nothing to do" in capsys.readouterr().err


def test_resume_with_epochs_extends_the_run(run_copy):
    assert main(["train", "--out", str(run_copy), "--resume", "--epochs", "2"]) == 0
    assert status(run_copy)["step"] > 6 and status(run_copy)["state"] == "finished"
    assert json.loads((run_copy / "config.json").read_text())["train"]["epochs"] == 2


def test_resume_to_fewer_steps_than_done_is_an_error(run_copy, capsys):
    one_line_error(capsys, ["train", "--out", str(run_copy), "--resume", "--steps", "3"], "already at step 6")
    assert status(run_copy)["total_steps"] == 6


def test_resume_says_which_options_it_ignores(run_copy, capsys):
    argv = [
        "train",
        "--out",
        str(run_copy),
        "--resume",
        "--steps",
        "8",
        "--lr",
        "0.5",
        "--data",
        str(NUMBERS_TSV),
    ]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "--lr 0.5 is ignored" in err and "--data" not in err  # the same data is not worth a note
    assert json.loads((run_copy / "config.json").read_text())["train"]["lr"] != 0.5


@pytest.mark.parametrize(
    "argv, match",
    [
        (["eval", "--beam", "0"], "--beam must be at least 1"),
        (["eval", "--limit", "-3"], "--limit must be at least 1"),  # it scored all but the last 3 pairs
        (["eval", "--length-penalty", "nan"], "must be numbers"),
        (["translate", "--batch-size", "0"], "--batch-size must be at least 1"),
    ],
)
def test_search_and_batch_options_out_of_range(finished_run, tmp_path, capsys, argv, match):
    sentences = tmp_path / "s.txt"
    sentences.write_text("one two\n")
    where = ["--test", str(NUMBERS_TSV)] if argv[0] == "eval" else ["--input", str(sentences)]
    one_line_error(capsys, [argv[0], "--run", str(finished_run), *where, *argv[1:]], match)


def test_negative_seed_is_one_line(finished_run, tmp_path, capsys):
    vectors = tmp_path / "v.npy"
    np.save(vectors, np.random.default_rng(0).normal(size=(12, 8)).astype(np.float32))
    for method in ("pca", "umap", "tsne"):
        argv = ["project", "--input", str(vectors), "--method", method, "--output", str(tmp_path / "p.csv")]
        one_line_error(capsys, [*argv, "--seed", "-1"], "--seed must be between 0 and")
    suite = tmp_path / "suite.tsv"
    suite.write_text("family\ta\tb\tc\n1\tone two\ttwo one\tthree\n2\tfour five\tfive four\tsix\n")
    one_line_error(
        capsys, ["probe", "--run", str(finished_run), "--suite", str(suite), "--seed", "-1"], "--seed"
    )
    argv = [
        "trajectories",
        "--run",
        str(finished_run),
        "--sentence",
        "one two three",
        "--output",
        str(tmp_path / "t.csv"),
    ]
    one_line_error(capsys, [*argv, "--seed", "-2"], "--seed")
    assert not (tmp_path / "p.csv").exists() and not (tmp_path / "t.csv").exists()


def test_damaged_run_files_are_one_line(finished_run, tmp_path, capsys, monkeypatch):
    sp_run = tmp_path / "sp"
    argv = ["train", "--data", str(NUMBERS_TSV), "--out", str(sp_run), "--steps", "1", *TINY]
    assert main([*argv, "--tokenizer", "unigram", "--vocab-size", "60"]) == 0
    capsys.readouterr()
    for name in ("src.model", "tgt.model"):
        run = Path(shutil.copytree(sp_run, tmp_path / name))
        (run / name).write_bytes(b"garbage")
        one_line_error(capsys, ["translate", "--run", str(run)], f"{name} is damaged", "one\n", monkeypatch)
    other = tmp_path / "other"
    argv = ["train", "--data", str(NUMBERS_TSV), "--out", str(other), "--steps", "1", *TINY]
    assert main([*argv, "--hidden", "8"]) == 0
    capsys.readouterr()
    run = Path(shutil.copytree(finished_run, tmp_path / "mismatch"))
    shutil.copy(other / "model.safetensors", run / "model.safetensors")
    one_line_error(capsys, ["translate", "--run", str(run)], "do not fit the model", "one\n", monkeypatch)


def test_a_folder_given_as_a_file_is_named_as_a_folder(finished_run, tmp_path, capsys):
    argv = [
        "embed",
        "--run",
        str(finished_run),
        "--input",
        str(tmp_path),
        "--output",
        str(tmp_path / "v.npy"),
    ]
    one_line_error(capsys, argv, "is a folder")
    err = one_line_error(
        capsys, ["probe", "--run", str(finished_run), "--suite", str(tmp_path)], "is a folder"
    )
    assert "builtin_suites" not in err and "voice" in err  # the names a user can type, not a function


def test_eval_takes_two_moses_files_like_train(finished_run, tmp_path, capsys):
    pairs = [line.split("\t") for line in NUMBERS_TSV.read_text(encoding="utf-8").splitlines()[:20]]
    (tmp_path / "test.en").write_text("".join(s + "\n" for s, _ in pairs), encoding="utf-8")
    (tmp_path / "test.fr").write_text("".join(t + "\n" for _, t in pairs), encoding="utf-8")
    test = f"{tmp_path / 'test.en'},{tmp_path / 'test.fr'}"  # e.g. newstest2014.en-fr.en,...fr
    assert main(["eval", "--run", str(finished_run), "--test", test, "--beam", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 20


@pytest.mark.slow
def test_resume_finds_a_relative_data_path_from_another_folder(tmp_path, monkeypatch):
    """`--data data/n.tsv` is kept as typed; resuming from elsewhere looks beside the runs folder."""
    from tests.helpers.cli import TINY
    from tests.helpers.toy import NUMBERS_TSV

    (tmp_path / "data").mkdir()
    shutil.copy(NUMBERS_TSV, tmp_path / "data" / "n.tsv")
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--data", "data/n.tsv", "--out", "runs/r", "--steps", "10", *TINY]) == 0
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert main(["train", "--out", str(tmp_path / "runs" / "r"), "--resume", "--steps", "20"]) == 0
    assert json.loads((tmp_path / "runs" / "r" / "status.json").read_text())["step"] == 20
