"""A real tiny study of the built-in corpus, 3 seeds: report.json carries adjusted p-values, the
seeds a primary comparison would need, sacrebleu's paired bootstrap per seed, cross-seed CKA and
what the arms shared, and its summary claims nothing its adjusted test rejects."""

import json

import pytest

from core.cli import main
from core.study.layout import REPORT_JSON

TINY = ["--data", "grammar:2000", "--preset", "tiny", "--steps", "40", "--eval-every", "20",
        "--checkpoint-every", "20", "--beam", "2", "--max-sentences", "40", "--cka-sentences", "40",
        "--threads", "1", "--arms", "forward,reversed", "--seeds", "3"]  # fmt: skip


SUITE = """# a user's own suite: anchor=active positive=passive negative=swapped
family\tactive\tpassive\tswapped\ttag:verb
1\tJohn admires Mary\tMary is admired by John\tMary admires John\tadmire
2\tPaul helps Anna\tAnna is helped by Paul\tAnna helps Paul\thelp
3\tSophie sees Peter\tPeter is seen by Sophie\tPeter sees Sophie\tsee
"""


@pytest.mark.slow
def test_a_tiny_study_reports_its_statistics(tmp_path):
    out = tmp_path / "study"
    suite = tmp_path / "mine.tsv"
    suite.write_text(SUITE, encoding="utf-8")
    assert main(["study", "--out", str(out), *TINY, "--probe-suite", str(suite)]) == 0
    report = json.loads((out / REPORT_JSON).read_text())
    # the user's suite was scored during training and at the end, beside its baselines
    assert report["spec"]["probe_suites"] == [str(suite.resolve())]
    mine = report["probes"]["final"]["mine"]["reversed"]["raw"]
    assert mine["margin"]["n"] == 3 and set(mine["baselines"]) == {
        "bag_of_words",
        "bag_of_bigrams",
        "untrained",
    }
    assert "mine" in report["probes"]["over_training"]
    assert report["spec"]["primary"] == ["test.bleu", "test.ppl"] and report["seeds"] == [0, 1, 2]
    primary = {row["key"]: row for row in report["primary"]}
    assert set(primary) == {"test.bleu:reversed-forward", "test.ppl:reversed-forward"}
    for row in primary.values():
        assert row["method"] == "Holm" and row["adjusted"] >= row["p"] and row["n"] == 3
        assert row["holds"] or (row["verdict"].startswith("inconclusive") and "seeds_needed" in row)
    exploratory = [t for t in report["tests"] if t["family"] == "exploratory"]
    assert {t["key"].split(".")[0] for t in exploratory} >= {
        "dev",
        "test",
        "probe",
        "position",
        "by_length",
        "cka",
    }
    assert all(t["method"] == "Benjamini-Hochberg" for t in exploratory)
    assert [(r["seed"], r["arm"]) for r in report["paired_bleu"]] == [
        (0, "reversed"),
        (1, "reversed"),
        (2, "reversed"),
    ]
    cka = report["cka"]["arms"]
    assert cka and all(
        r["pairs"] == 6 and r["assignments"] == 8 for r in cka
    )  # 3 x 2 cross-seed pairs, 2^3 labels
    assert all(r["within"]["debiased"] is not None and r["floor"] is not None for r in cka)
    assert all(a["alike"] for a in report["alike"]["arms"]) and not report["alike"]["unrecorded"]
    for line in report["summary"]:  # a claimed difference always rests on a test that holds
        if " lowered test" in line or " raised test" in line:
            key = "test.ppl" if "perplexity" in line else "test.bleu"
            assert primary[f"{key}:reversed-forward"]["holds"], line
    assert report["probes"]["resampling"]["mine"]["unit"] == "family"  # no cluster= comment: families
    resampling = report["probes"]["resampling"]["voice"]
    assert resampling["unit"] == "verb x people" and resampling["clusters"] == {"verb": 11, "people": 8}


def test_a_bad_probe_suite_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "study"
    assert main(["study", "--out", str(out), *TINY, "--probe-suite", str(tmp_path / "missing.tsv")]) == 2
    err = capsys.readouterr().err.strip()
    assert "missing.tsv does not exist" in err and len(err.splitlines()) == 1
    assert not out.exists()
