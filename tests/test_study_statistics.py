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


@pytest.mark.slow
def test_a_tiny_study_reports_its_statistics(tmp_path):
    out = tmp_path / "study"
    assert main(["study", "--out", str(out), *TINY]) == 0
    report = json.loads((out / REPORT_JSON).read_text())
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
    resampling = report["probes"]["resampling"]["voice"]
    assert resampling["unit"] == "verb x people" and resampling["clusters"] == {"verb": 11, "people": 8}
