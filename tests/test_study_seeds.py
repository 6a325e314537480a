"""A study's seeds: a first seed for an independent replication, --add-seeds to extend a study
without retraining its runs (refused while it runs), and the start record every run writes."""

import json
import signal

import pytest

from core.cli import main
from core.errors import UserError
from core.run.start import START, StartRecord
from core.study.layout import StudySpec, read_study, write_study
from core.study.runner import add_seeds, study_process

TINY = ["--data", "grammar:300", "--preset", "tiny", "--steps", "6", "--eval-every", "3",
        "--checkpoint-every", "3", "--threads", "1", "--no-report"]  # fmt: skip


def test_first_seed_sets_the_seed_list_and_older_study_files_load(tmp_path):
    spec = StudySpec("grammar", "tiny", ("forward", "reversed"), seeds=3, first_seed=10)
    assert spec.seed_list == [10, 11, 12]
    assert [s for _, s in spec.runs()] == [10, 10, 11, 11, 12, 12]
    write_study(tmp_path, spec)
    raw = json.loads((tmp_path / "study.json").read_text())
    del raw["first_seed"]  # a study.json written before first_seed existed
    (tmp_path / "study.json").write_text(json.dumps(raw))
    assert read_study(tmp_path).seed_list == [0, 1, 2]
    with pytest.raises(UserError, match="--first-seed"):
        StudySpec("grammar", "tiny", ("forward", "reversed"), seeds=3, first_seed=-1)


@pytest.mark.slow
def test_runs_record_their_start_and_add_seeds_trains_only_the_new(tmp_path, capsys):
    out = tmp_path / "study"
    handler = signal.getsignal(signal.SIGTERM)
    assert main(["study", "--out", str(out), *TINY, "--seeds", "1", "--first-seed", "7"]) == 0
    assert signal.getsignal(signal.SIGTERM) is handler  # the caller's own handler, given back
    forward, reversed_ = (StartRecord.read(out / "runs" / f"{arm}-s7") for arm in ("forward", "reversed"))
    # the same seed: the same step-0 tensors, tokenizer files and batches, read from the real runs
    assert forward.tensors == reversed_.tensors and forward.batches == reversed_.batches
    assert forward.tokenizers == reversed_.tokenizers and len(forward.tokenizers) == 2
    weights = (out / "runs" / "forward-s7" / "model.safetensors").stat().st_mtime_ns
    capsys.readouterr()
    assert main(["study", "--out", str(out), "--add-seeds", "1", "--threads", "1", "--no-report"]) == 0
    err = capsys.readouterr().err
    assert "starting forward-s8" in err and "starting forward-s7" not in err, err
    assert read_study(out).seed_list == [7, 8]
    assert (out / "runs" / "forward-s7" / "model.safetensors").stat().st_mtime_ns == weights  # not retrained
    other = StartRecord.read(out / "runs" / "forward-s8")
    assert other.tensors != forward.tensors and other.batches != forward.batches  # another seed


def test_add_seeds_is_refused_while_the_study_runs_and_with_other_settings(tmp_path, capsys):
    spec = StudySpec("grammar:300", "tiny", ("forward", "reversed"), seeds=2)
    write_study(tmp_path, spec)
    with study_process(tmp_path), pytest.raises(UserError, match="still running"):
        add_seeds(tmp_path, 1)
    assert read_study(tmp_path).seeds == 2  # nothing written
    with pytest.raises(UserError, match="at least 1"):
        add_seeds(tmp_path, 0)
    assert main(["study", "--out", str(tmp_path), "--add-seeds", "2", "--seeds", "9"]) == 2
    err = capsys.readouterr().err.strip()
    assert "--add-seeds" in err and len(err.splitlines()) == 1
    assert main(["study", "--out", str(tmp_path / "none"), "--add-seeds", "2"]) == 2
    assert "not a study" in capsys.readouterr().err
    assert not (tmp_path / START).exists()


def test_the_primary_comparisons_and_probe_suites_given_are_the_studys(tmp_path):
    from core.cli import build_parser
    from core.cli.study import requested_spec

    argv = ["study", "--out", str(tmp_path / "s"), "--data", "grammar:300", "--primary", "test.bleu",
            "--probe-suite", "builtin:voice_pronoun"]  # fmt: skip
    spec = requested_spec(build_parser().parse_args(argv), tmp_path / "s")
    assert spec.primary == ("test.bleu",) and spec.probe_suites == ("builtin:voice_pronoun",)
    assert StudySpec("grammar", "tiny", ("forward", "reversed"), 2).primary == ("test.bleu", "test.ppl")
    with pytest.raises(UserError, match=r"unknown comparison 'test\.loss'"):
        requested_spec(build_parser().parse_args([*argv[:5], "--primary", "test.loss"]), tmp_path / "s")
