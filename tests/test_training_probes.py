"""Representation dynamics: every run scores probe suites at each dev evaluation (metrics.jsonl)."""

import json
import math

import pytest

from core.analysis.suites import DEFAULT_PROBE_SUITES
from core.cli import main
from core.run.config import RunConfig
from core.run.folder import read_metrics
from tests.helpers.cli import one_line_error

TINY = ["--data", "grammar:3000", "--preset", "tiny", "--steps", "20", "--eval-every", "10",
        "--checkpoint-every", "10", "--no-progress"]  # fmt: skip


@pytest.mark.slow
def test_default_suites_are_scored_at_every_dev_evaluation_and_a_resume_keeps_them(tmp_path):
    run = tmp_path / "run"
    assert main(["train", "--out", str(run), *TINY]) == 0
    records = read_metrics(run, "probe")
    probes = [r for r in records if not r.get("baseline")]
    suites = [s.split(":", 1)[1] for s in DEFAULT_PROBE_SUITES]
    # step 0 is the untrained encoder: every curve starts at its baseline
    assert [(r["step"], r["suite"]) for r in probes] == [(step, s) for step in (0, 10, 20) for s in suites]
    surface = [(r["step"], r["suite"], r["baseline"]) for r in records if r.get("baseline")]
    assert surface == [(0, s, b) for s in suites for b in ("bag_of_words", "bag_of_bigrams")]
    assert {r["unit"] for r in records if r.get("unit")} == {"verb x people"}
    assert all(math.isfinite(r[k]) and r["low"] <= r["margin"] <= r["high"] for r in probes
               for k in ("margin", "low", "high"))  # fmt: skip
    assert RunConfig.read(run).probe_suites == DEFAULT_PROBE_SUITES
    assert main(["train", "--out", str(run), "--resume", "--steps", "30"]) == 0
    assert [r["step"] for r in read_metrics(run, "probe")][-len(suites) :] == [30] * len(suites)


@pytest.mark.slow
def test_chosen_suites_or_none(tmp_path):
    suite = tmp_path / "mine.tsv"
    suite.write_text("family\tactive\tpassive\tswapped\n1\tJohn admires Mary\tMary is admired by John\t"
                     "Mary admires John\n2\tPaul sees Anna\tAnna is seen by Paul\tAnna sees Paul\n")  # fmt: skip
    assert main(["train", "--out", str(tmp_path / "one"), *TINY, "--probe-suite", str(suite)]) == 0
    assert {r["suite"] for r in read_metrics(tmp_path / "one", "probe")} == {"mine"}
    assert main(["train", "--out", str(tmp_path / "none"), *TINY, "--no-probes"]) == 0
    assert read_metrics(tmp_path / "none", "probe") == []
    config = json.loads((tmp_path / "none" / "config.json").read_text())
    assert config["probe_suites"] == []


def test_a_missing_suite_is_refused_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "run"
    one_line_error(
        capsys, ["train", "--out", str(out), *TINY, "--probe-suite", str(tmp_path / "no.tsv")], "no.tsv"
    )
    assert not out.exists()
