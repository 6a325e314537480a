"""The study report: every section from synthetic runs, and report.html opens with no network."""

import json
import math
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from core.analysis.suites import builtin_suites
from core.render.report_html import render_html
from core.render.study import figures
from core.run.start import StartRecord
from core.study.compare import FIGURE2_SUITES
from core.study.layout import StudySpec
from core.study.report import Collected, assemble

SECTIONS = ("scores", "curves", "steps_to_bleu", "by_length", "position_loss", "probes", "cka", "figure2",
            "summary", "provenance", "alike", "tests", "primary", "paired_bleu")  # fmt: skip
ARMS = ("forward", "reversed", "attention")
# per-seed test perplexity and BLEU: attention lowers perplexity by about 2 in every seed (its
# Holm-adjusted test holds); reversal's BLEU gain is small and noisy (raw p about 0.03, which Holm
# over the four primary comparisons does not let through)
TEST_PPL = {"forward": (9.0, 9.4, 8.7), "reversed": (8.9, 9.1, 8.6), "attention": (7.0, 7.3, 6.8)}
TEST_BLEU = {"forward": (20.0, 21.0, 22.0), "reversed": (20.9, 22.3, 22.7), "attention": (25.0, 26.5, 27.0)}


def fake_probe(margin: float, beats: bool) -> dict:
    """One suite's probe_summary (core.study.measure)."""
    lead = {
        "over": "bag_of_bigrams",
        "margin": margin - 0.05,
        "margin_low": margin - 0.1,
        "margin_high": margin,
    }
    resampling = {"unit": "verb x people", "families": 200, "clusters": {"verb": 11, "people": 8}}
    return {"margin": margin, "margin_low": margin - 0.05, "margin_high": margin + 0.05, "win_rate": 0.5,
            "lead": lead, "beats_baselines": beats, "baselines": {"bag_of_words": -0.2, "bag_of_bigrams": 0.05},
            "resampling": resampling}  # fmt: skip


def fake_run(rng, arm: str, seed: int) -> dict:
    """One run's numbers as core.study.measure and core.study.curves give them."""
    better = {"forward": 0.0, "reversed": 1.0, "attention": 2.0}[arm]

    def split(test: bool):
        ppl = TEST_PPL[arm][seed % 3] if test else 9 - better + 0.1 * rng.normal()
        bleu = TEST_BLEU[arm][seed % 3] if test else 20 + 5 * better + rng.normal()
        return {"n": 100, "bleu": bleu, "chrf": 40 + better, "ppl": ppl,
                "loss": 2.0, "signature": {"bleu": "nrefs:1|bleu-sig", "chrf": "chrf-sig"},
                "by_length": [{"bucket": "1-7", "n": 60, "bleu": 25.0 + better}, {"bucket": "8-12", "n": 40, "bleu": 15.0}]}  # fmt: skip

    probes = {
        name: {kind: fake_probe(0.1 * better + 0.01 * rng.normal(), arm != "forward") for kind in ("raw", "centred")}
        for name in ("voice", "fronting", "bshift", "tense")
    }  # fmt: skip
    steps = (100, 200, 300)
    return {
        "measure": {
            "step": 300,
            "dev": split(False),
            "test": split(True),
            "probes": probes,
            "position_loss": {
                "positions": list(range(1, 11)),
                "loss": [3.0 - 0.1 * better * (p < 4) + 0.001 * rng.normal() for p in range(1, 11)],
                "count": [100] * 10,
            },
        },
        "curves": {
            "train_loss": {s: 5.0 - s / 100 for s in steps},
            "dev_ppl": {s: 20.0 - s / 30 for s in steps},
            "dev_bleu": {s: s / 10 + better + seed for s in steps},
            "dev_chrf": {s: s / 5 for s in steps},
        },
        "probe_curves": {"voice": {s: s / 1000 for s in steps}} if seed == 0 else {},
    }


def fake_start(arm: str, seed: int) -> StartRecord:
    """A start record: the arms of a seed share every tensor forward has, attention adds its own."""
    tensors = {f"encoder.{i}": f"s{seed}t{i}" for i in range(4)}
    if arm == "attention":
        tensors["attention.w"] = "own"
    return StartRecord(tensors, {"src.vocab.txt": "tok"}, tuple(f"b{seed}{i}" for i in range(8)))


def fake_collected(arms=ARMS, seeds=3) -> tuple[StudySpec, Collected]:
    rng = np.random.default_rng(0)
    runs = {(a, s): fake_run(rng, a, s) for s in range(seeds) for a in arms}
    base = rng.normal(size=(30, 8))
    vectors = {key: {st: [base @ rng.normal(size=(8, 8)) + 0.1 * rng.normal(size=(30, 8)) for _ in range(2)]
                     for st in ("h", "c")} for key in runs}  # fmt: skip
    tables = builtin_suites()
    figure2 = {
        a: {n: rng.normal(size=(len(tables[n].sentences()), 16)) for n in FIGURE2_SUITES} for a in arms
    }
    configs = {(a, s): {"model": {"src_vocab": 50, "tgt_vocab": 60, "emb_dim": 8, "hidden": 8, "layers": 2,
                                  "reverse_source": a != "forward", "attention": a == "attention"},
                        "train": {"seed": s, "steps": 300}, "data": {"fingerprint": "abcd1234"}, "preset": "tiny"}
               for a, s in runs}  # fmt: skip
    references = tuple(f"the cat number {i} sat on the mat" for i in range(40))
    hypotheses = {(a, s): [r if (i + s) % (3 + ARMS.index(a)) else "a dog" for i, r in enumerate(references)]
                  for a, s in runs}  # fmt: skip
    starts = {(a, s): fake_start(a, s) for a, s in runs}
    tokenizers = {key: {"src.vocab.txt": "tok"} for key in runs}
    spec = StudySpec("grammar:3000", "tiny", arms, seeds, 300)
    return spec, Collected(runs, vectors, figure2, 0, configs, 30, hypotheses, references, starts, tokenizers)


def finite_numbers(value) -> list:
    """Every number in a JSON value (None excluded)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [value]
    items = value.values() if isinstance(value, dict) else value
    return [n for item in items for n in finite_numbers(item)]


def test_assemble_writes_every_section_with_finite_numbers():
    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    json.dumps(report, allow_nan=False)  # strict JSON
    for section in SECTIONS:
        assert report[section], section
    assert all(math.isfinite(n) for n in finite_numbers(report))
    ppl = report["scores"]["test"]["ppl"]
    assert ppl["vs_forward"]["attention"]["wins"] == 3 and ppl["arms"]["forward"]["low"] is not None
    assert ppl["per_seed"]["attention"] == list(TEST_PPL["attention"])  # the per-seed evidence is kept
    assert report["steps_to_bleu"]["arms"]["forward"]["reached"] == 3
    assert report["probes"]["over_training"]["voice"]["forward"]["steps"] == [100, 200, 300]
    assert report["probes"]["resampling"]["voice"]["unit"] == "verb x people"
    assert report["position_loss"]["vs_forward"]["reversed"]["mean"][0] == pytest.approx(-0.1, abs=0.01)
    assert report["provenance"]["config_hash"] and report["provenance"]["data_fingerprint"] == "abcd1234"
    assert report["provenance"]["tokenizer_files"]
    # what the arms shared, read from their start records
    alike = {(a["seed"], a["arm"]): a for a in report["alike"]["arms"]}
    assert alike[0, "reversed"]["alike"] and alike[0, "attention"]["extra"] == ["attention.w"]
    # sacrebleu's paired bootstrap, seed by seed, every arm against forward
    assert {(r["seed"], r["arm"]) for r in report["paired_bleu"]} == {
        (s, a) for s in range(3) for a in ARMS[1:]
    }
    assert all(0 < r["p"] <= 1 and "bs:1000" in r["signature"] for r in report["paired_bleu"])


def test_only_adjusted_tests_make_claims_and_inconclusive_ones_say_how_many_seeds():
    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    primary = {row["key"]: row for row in report["primary"]}
    assert set(primary) == {f"{c}:{a}-forward" for c in spec.primary for a in ("reversed", "attention")}
    ppl, bleu = primary["test.ppl:attention-forward"], primary["test.bleu:reversed-forward"]
    assert ppl["holds"] and ppl["adjusted"] < 0.05 and ppl["method"] == "Holm"
    assert bleu["p"] < 0.05 < bleu["adjusted"] and not bleu["holds"]  # raw p alone would have claimed it
    assert bleu["verdict"].startswith("inconclusive: about") and bleu["seeds_needed"] > 3
    summary = " ".join(report["summary"])
    assert "reversal + attention lowered test perplexity" in summary
    assert (
        "reversal raised test BLEU" not in summary
        and "reversal vs forward, test BLEU: inconclusive" in summary
    )
    exploratory = [t for t in report["tests"] if t["family"] == "exploratory"]
    assert exploratory and all(
        t["method"] == "Benjamini-Hochberg" and t["adjusted"] >= t["p"] for t in exploratory
    )
    for line in report["summary"]:  # every claim of a difference rests on a test that holds
        if " lowered " in line or " raised " in line:
            assert "adjusted" in line


def test_every_figure_states_its_provenance():
    spec, collected = fake_collected()
    report = assemble("demo", spec, collected)
    drawn = figures(report)
    assert len(drawn) == 11
    line = "seeds 0,1,2 · config "
    for caption, fig in drawn:
        assert isinstance(fig, go.Figure) and fig.data, caption
        notes = " ".join(a.text for a in fig.layout.annotations)
        assert line in notes and "abcd1234" in notes and "nrefs:1|bleu-sig" in notes, caption


def test_one_seed_report_says_there_is_no_interval():
    spec, collected = fake_collected(("forward", "reversed"), seeds=1)
    report = assemble("demo", spec, collected)
    assert "one seed" in " ".join(report["notes"])
    assert any("no claim" in line for line in report["summary"])
    assert report["cka"]["arms"] == []  # no pair of seeds: no cross-seed CKA
    render_html(report)


REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_report_html_is_self_contained():
    spec, collected = fake_collected()
    page = render_html(assemble("demo", spec, collected))
    start = page.index("<script>/**\n* plotly.js v")  # plotly.js inlined once, with the first figure
    end = page.index("</script>", start)
    outside = page[:start] + page[end:]
    assert page.count("plotly.js v") == 1
    assert not REMOTE.search(outside), "a remote src/href outside the inlined plotly.js"
    assert "http://" not in outside and "https://" not in outside
    # plotly's own preamble tells plotly.js to leave MathJax alone ('local': fetch nothing)
    assert "mathjax" not in outside.lower().replace("typesetmath", "").replace("{mathjaxconfig: 'local'}", "")
    assert '"typesetMath": false' in outside
    assert outside.count("Plotly.newPlot(") == 11
    assert "Notation: x [a, b]" in page


def test_bleu_threshold_takes_what_its_message_says():
    from core.errors import UserError
    from core.study.report import ReportConfig

    assert ReportConfig(bleu_threshold=100).bleu_threshold == 100 and ReportConfig(bleu_threshold=0.5)
    for bad in (0, -1, 100.5, math.nan, math.inf):
        with pytest.raises(UserError, match="above 0 and at most 100"):
            ReportConfig(bleu_threshold=bad)
