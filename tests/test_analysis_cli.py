"""`s2s probe | project | surgery | neighbours | trajectories`: JSON and CSV out, one-line errors (exit 2)."""

import csv
import json

import numpy as np
import pytest

from core.cli import main
from tests.helpers.cli import one_line_error

SUITE = "family\tactive\tpassive\tswapped\n1\tJohn admires Mary\tMary is admired by John\tMary admires John\n"


def out_json(capsys):
    return json.loads(capsys.readouterr().out)


def test_probe_prints_the_scores(tiny_grammar_run, capsys):
    run = str(tiny_grammar_run)
    assert main(["probe", "--run", run, "--suite", "builtin:voice", "--boot", "200"]) == 0
    report = out_json(capsys)
    assert {
        "n",
        "cos_positive",
        "cos_negative",
        "margin",
        "margin_low",
        "margin_high",
        "win_rate",
    } <= report.keys()
    assert report["n"] == 200 and "per_family" not in report

    argv = ["probe", "--run", run, "--suite", "builtin:figure2_left", "--boot", "100"]
    assert main([*argv, "--per-family", "--state", "h", "--layers", "top", "--seed", "3"]) == 0
    report = out_json(capsys)
    assert len(report["per_family"]) == 6 and report["state"] == "h" and report["layers"] == "top"

    assert main([*argv, "--compare", run, "--geometry"]) == 0
    report = out_json(capsys)
    first, second = report["runs"]
    assert second == f"{first} (2)" and report["difference"] == 0.0
    assert {"silhouette", "retrieval_accuracy", "probe"} <= report["runs"][first]["geometry"].keys()


def test_probe_reports_baselines_the_interval_and_splits_by_tag(tiny_grammar_run, capsys):
    run = str(tiny_grammar_run)
    assert main(["probe", "--run", run, "--suite", "builtin:fronting", "--boot", "100", "--by", "verb"]) == 0
    report = out_json(capsys)
    assert set(report["baselines"]) == {"bag_of_words", "bag_of_bigrams", "untrained"}
    assert report["baselines"]["bag_of_words"]["margin"] < 0  # the negative has the anchor's words
    assert report["lead"]["over"] in report["baselines"] and isinstance(report["beats_baselines"], bool)
    assert "not over trainings" in report["interval"] and report["reading"]
    groups = report["by"]["groups"]
    assert report["by"]["tag"] == "verb" and sum(g["n"] for g in groups) == report["n"] == 200
    assert sum(g["n"] * g["model"]["margin"] for g in groups) / report["n"] == pytest.approx(report["margin"])
    assert report["resampling"]["unit"] == "verb x people"  # the suite's design, named in the output

    argv = ["probe", "--run", run, "--suite", "builtin:voice", "--boot", "100"]
    assert main([*argv, "--cluster", "family", "--centred"]) == 0
    centred = out_json(capsys)
    described = "200 families, resampled one by one"
    assert centred["resampling"] == {
        "unit": "family",
        "families": 200,
        "clusters": {},
        "described": described,
    }
    assert centred["centred_on"] > 0 and set(centred["baselines"]) == {
        "bag_of_words",
        "bag_of_bigrams",
        "untrained",
    }

    argv = ["probe", "--run", run, "--suite", "builtin:figure2_left", "--boot", "100", "--compare", run]
    assert main([*argv, "--by", "construction"]) == 0
    report = out_json(capsys)
    assert report["difference"] == 0.0 and "not over trainings" in report["interval"]
    for result in report["runs"].values():
        assert {"baselines", "lead", "by"} <= result.keys() and "per_family" not in result
    one_line_error(capsys, ["probe", "--run", run, "--suite", "builtin:voice", "--by", "colour"],
                   "no tag 'colour'; its tags are: construction, participants, verb, tense")  # fmt: skip


def test_probe_errors_are_one_line(tiny_grammar_run, tmp_path, capsys):
    run = str(tiny_grammar_run)
    bad = tmp_path / "bad.tsv"
    cases = [
        (
            "family\tactive\tpassive\tswapped\n1\tJohn admires Mary\tMary admires John\n2\ta\tb\tc\n",
            "line 2 has 3",
        ),
        ("", "is empty"),
        (SUITE, "1 families"),
        (SUITE + "2\tJohn admires Zorglub\tMary admires John\tJohn admires Mary\n", "Zorglub"),
    ]
    for text, match in cases:
        bad.write_text(text, encoding="utf-8")
        one_line_error(capsys, ["probe", "--run", run, "--suite", str(bad)], match)
    one_line_error(
        capsys, ["probe", "--run", run, "--suite", "builtin:voice", "--anchor", "agent"], "no column 'agent'"
    )
    one_line_error(capsys, ["probe", "--run", run, "--suite", "builtin:nope"], "no built-in suite")
    one_line_error(
        capsys, ["probe", "--run", run, "--suite", "builtin:voice", "--cluster", "colour"], "no tag 'colour'"
    )
    rows = [
        "family\tactive\tpassive\tswapped\ttag:id",
        "1\tJohn admires Mary\tMary is admired by John\tMary admires John\tx",
        "2\tJohn admires Anna\tAnna is admired by John\tAnna admires John\ty",
    ]
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    one_line_error(
        capsys, ["probe", "--run", run, "--suite", str(bad), "--cluster", "id"], "holds one family"
    )
    one_line_error(
        capsys, ["probe", "--run", run, "--suite", "builtin:voice", "--property", "active"], "two columns"
    )


@pytest.fixture
def embedded(tiny_grammar_run, tmp_path, capsys):
    sentences = tmp_path / "s.txt"
    sentences.write_text(
        "John admires Mary\nMary admires John\nJohn respects Mary\nPaul helps Anna\n", encoding="utf-8"
    )
    vectors = tmp_path / "v.npy"
    argv = ["embed", "--run", str(tiny_grammar_run), "--input", str(sentences), "--output", str(vectors)]
    assert main(argv) == 0
    capsys.readouterr()
    return sentences, vectors


def test_project_writes_coordinates_and_sentences(embedded, tmp_path, capsys):
    sentences, vectors = embedded
    out = tmp_path / "coords.csv"
    argv = ["project", "--input", str(vectors), "--method", "pca", "--output", str(out)]
    assert main([*argv, "--sentences", str(sentences), "--seed", "1"]) == 0
    summary = out_json(capsys)
    assert summary["method"] == "pca" and summary["n"] == 4 and len(summary["explained_variance"]) == 2
    assert 0 <= summary["faithfulness"] <= 1
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["x", "y", "sentence"] and rows[1]["sentence"] == "Mary admires John"

    assert main([*argv, "--components", "3", "--basis", str(vectors)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["x", "y", "z", "sentence"] and rows[0]["sentence"] == ""


def test_project_errors_are_one_line(embedded, tmp_path, capsys):
    sentences, vectors = embedded
    out = str(tmp_path / "c.csv")
    argv = ["project", "--input", str(vectors), "--output", out]
    short = tmp_path / "short.txt"
    short.write_text("one sentence\n", encoding="utf-8")
    one_line_error(capsys, [*argv, "--sentences", str(short)], "--sentences has 1 lines but --input has 4")
    one = tmp_path / "one.npy"
    np.save(one, np.ones((1, 8), dtype=np.float32))
    one_line_error(capsys, ["project", "--input", str(one), "--output", out], "cannot project 1 points")
    one_line_error(
        capsys, ["project", "--input", str(sentences), "--output", out], "not a .npy array of numbers"
    )
    np.save(tmp_path / "objects.npy", np.array(["a", None], dtype=object))  # would need pickle
    one_line_error(
        capsys, ["project", "--input", str(tmp_path / "objects.npy"), "--output", out], "not a .npy"
    )
    one_line_error(capsys, ["project", "--input", str(tmp_path), "--output", out], "not a regular file")
    one_line_error(capsys, [*argv, "--method", "tsne", "--basis", str(vectors)], "t-SNE cannot place")
    one_line_error(capsys, ["project", "--input", str(tmp_path / "x.npy"), "--output", out], "does not exist")
    assert not (tmp_path / "c.csv").exists()


def test_surgery_and_neighbours(tiny_grammar_run, embedded, capsys):
    sentences, vectors = embedded
    run = str(tiny_grammar_run)
    argv = [
        "surgery",
        "interpolate",
        "--run",
        run,
        "--source",
        "John admires Mary",
        "--target",
        "Paul helps Anna",
    ]
    assert main([*argv, "--steps", "3"]) == 0
    path = out_json(capsys)
    assert [p["alpha"] for p in path] == [0.0, 0.5, 1.0]

    assert main(["surgery", "offset", "--run", run, "--sentence", "John admires Mary", "--scale", "0"]) == 0
    result = out_json(capsys)
    assert result["before"] == result["after"] and result["suite"] == "voice"

    assert main(["surgery", "decode", "--run", run, "--input", str(vectors)]) == 0
    decoded = out_json(capsys)
    assert len(decoded) == 4 and decoded[0] == path[0]["text"]

    one_line_error(capsys, [*argv, "--steps", "1"], "at least 2 steps")
    one_line_error(
        capsys, ["surgery", "offset", "--run", run, "--sentence", "John admires Zorglub"], "Zorglub"
    )

    assert (
        main(
            [
                "neighbours",
                "--run",
                run,
                "--corpus",
                str(sentences),
                "--query",
                "John admires Mary",
                "-k",
                "2",
            ]
        )
        == 0
    )
    (found,) = out_json(capsys)
    assert found["query"] == "John admires Mary" and len(found["neighbours"]) == 2
    assert "John admires Mary" not in [n["sentence"] for n in found["neighbours"]]
    one_line_error(capsys, ["neighbours", "--run", run, "--corpus", str(sentences)], "no query")


def test_trajectories_write_one_row_per_token_read(tiny_grammar_run, tmp_path, capsys):
    run = str(tiny_grammar_run)
    out = tmp_path / "paths.csv"
    sentences = ["John admires Mary", "Mary admires John", "Mary is admired by John"]
    argv = ["trajectories", "--run", run, "--run", run, "--output", str(out)]
    assert main([*argv, *(a for s in sentences for a in ("--sentence", s))]) == 0
    summary = out_json(capsys)
    first_label, second_label = summary["runs"]  # the same folder twice: "parent/tiny-rev", then " (2)"
    assert second_label == f"{first_label} (2)" and summary["runs"][first_label]["reverse_source"] is True
    assert summary["runs"][second_label]["alignment_disparity"] < 1e-6
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 2 * sum(len(s.split()) for s in sentences)  # word-level: one point per word
    first = [r["token"] for r in rows if r["sentence"] == sentences[0]][:3]
    assert first == ["Mary", "admires", "John"]  # the order a reversed-source encoder reads
    # the same run twice: the second map is aligned onto the first, point for point
    a = [(float(r["x"]), float(r["y"])) for r in rows[: len(rows) // 2]]
    b = [(float(r["x"]), float(r["y"])) for r in rows[len(rows) // 2 :]]
    np.testing.assert_allclose(a, b, atol=1e-3)
    one_line_error(capsys, ["trajectories", "--run", run, "--output", str(out)], "no sentences")
    one_line_error(
        capsys, [*argv[:3], "--sentence", "x", "--output", str(tmp_path / "p.txt")], "ending in .csv"
    )
