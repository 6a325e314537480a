"""The 'No slower' table of benchmarks/RESULTS.md is made from committed before/after evidence
(benchmarks/evidence/*.json, written by benchmarks/before_after.py measure): `make test` fails when
the table differs from what the evidence gives. No speed is asserted here, only the arithmetic."""

import json
import sys

import pytest

from benchmarks import greedy_split
from benchmarks.before_after import EVIDENCE, MARKER, RESULTS, evidence, main, render, summarise, table


def _train(ours: float, ref: float) -> dict:
    return {"tgt_tok_s": {"ours": ours, "reference": ref}}


def _decode(greedy: tuple[float, float], beam5: tuple[float, float]) -> dict:
    return {
        "ours": {"greedy": {"sent_s": greedy[0]}, "beam5": {"sent_s": beam5[0]}},
        "reference": {"greedy": {"sent_s": greedy[1]}, "beam5": {"sent_s": beam5[1]}},
    }


def _runs() -> list[dict]:
    runs = []
    # before: train ratios 1.0, 1.2, 1.1; after: 1.1, 1.3, 1.2 against the same reference
    for repeat, (b, a) in enumerate([(100, 110), (120, 130), (110, 120)]):
        runs.append({"repeat": repeat, "benchmark": "train", "tree": "before", "result": _train(b, 100)})
        runs.append({"repeat": repeat, "benchmark": "train", "tree": "after", "result": _train(a, 100)})
    for repeat in range(3):  # decoding: only greedy got slower after, by half
        runs.append(
            {
                "repeat": repeat,
                "benchmark": "decode",
                "tree": "before",
                "result": _decode((600, 500), (300, 150)),
            }
        )
        runs.append(
            {
                "repeat": repeat,
                "benchmark": "decode",
                "tree": "after",
                "result": _decode((300, 500), (300, 150)),
            }
        )
    return runs


def test_the_summary_pairs_each_repeat_of_one_tree_with_its_own_reference():
    summary = summarise(_runs())
    train = summary["train_tok_s"]
    assert train["before"]["ratio_runs"] == [1.0, 1.2, 1.1]
    assert train["before"]["ratio"] == {"median": 1.1, "min": 1.0, "max": 1.2, "n": 3}
    assert train["after"]["ratio"]["median"] == 1.2 and train["after"]["ours_median"] == 120
    assert train["after_over_before"]["median"] == round(1.2 / 1.1, 3)
    assert summary["greedy_sent_s"]["before"]["ratio"]["median"] == 1.2
    assert summary["greedy_sent_s"]["after"]["ratio"]["median"] == 0.6
    assert summary["greedy_sent_s"]["after_over_before"] == {"median": 0.5, "min": 0.5, "max": 0.5, "n": 3}
    assert summary["beam5_sent_s"]["after_over_before"]["median"] == 1.0


def test_a_figure_measured_in_one_tree_only_is_left_out():
    runs = [r for r in _runs() if not (r["benchmark"] == "decode" and r["tree"] == "after")]
    assert set(summarise(runs)) == {"train_tok_s"}


def test_a_repeat_that_only_one_tree_completed_is_left_out():
    runs = [
        r for r in _runs() if not (r["benchmark"] == "train" and r["tree"] == "after" and r["repeat"] == 2)
    ]
    train = summarise(runs)["train_tok_s"]
    assert train["repeats"] == [0, 1] and train["before"]["ratio_runs"] == [1.0, 1.2]


def test_the_table_shows_each_trees_ratio_with_its_spread():
    text = table({"summary": summarise(_runs())})
    lines = text.splitlines()
    assert len(lines) == 2 + 3
    greedy = next(line for line in lines if line.startswith("| greedy"))
    assert "| 1.20x (1.20-1.20) | 0.60x (0.60-0.60) | 0.50 (0.50-0.50) | 600 / 300 |" in greedy


def test_results_md_no_slower_table_matches_the_committed_evidence():
    text = RESULTS.read_text(encoding="utf-8")
    names = [m.group(2) for m in MARKER.finditer(text)]
    assert names, "RESULTS.md has no <!-- speed:NAME --> table"
    for name in names:
        evidence = json.loads((EVIDENCE / f"{name}.json").read_text(encoding="utf-8"))
        assert evidence["benchmark"] in ("before_after", "greedy_split") and evidence["runs"]
    assert render(text) == text, "run: python benchmarks/before_after.py tables"


def test_each_committed_before_after_summary_is_its_runs_summary():
    """The summary (what the table shows) is recomputed from the committed runs' pairs."""
    found = sorted(EVIDENCE.glob("*.json"))
    checked = 0
    for path in found:
        report = json.loads(path.read_text(encoding="utf-8"))
        if report.get("benchmark") == "before_after":
            assert report["summary"] == summarise(report["runs"]), f"{path.name}: rerun `evidence`"
            checked += 1
    assert checked, "no before_after evidence committed"


def test_evidence_keeps_each_runs_pairs_and_the_same_summary():
    runs = [r | {"result": r["result"] | {"config": {"b": r["benchmark"]}}, "load": 0.5} for r in _runs()]
    report = {"commands": ["x"], "trees": {}, "machine": {}, "runs": runs}
    cut = evidence(report)
    assert cut["summary"] == summarise(runs)
    assert cut["settings"] == {"train": {"b": "train"}, "decode": {"b": "decode"}}
    assert cut["runs"][0] == {
        "repeat": 0,
        "benchmark": "train",
        "tree": "before",
        "load": 0.5,
        "pairs": {"train_tok_s": (100, 100)},
    }
    edited = json.loads(json.dumps(cut))
    edited["runs"][0]["pairs"]["train_tok_s"] = [90, 100]  # one figure changed by hand
    assert summarise(edited["runs"]) != edited["summary"]


def _split_run(label: str, code: float) -> dict:
    ratio = {"median": code, "min": code - 0.1, "max": code + 0.1, "runs": [code]}
    return {
        "label": label,
        "commit": "0123456789abcdef",
        "date": "2026-12-05 09:26",
        "load": 0.25,
        "rounds": 1,
        "decoder_steps": {"ours": 1000, "reference": 1100},
        "output_tokens": {"ours": 6727, "reference": 6893},
        "benchmark C/A": ratio,
        "code on the reference's weights C/B": ratio,
        "code on our weights D/A": ratio,
        "work under our code B/A": ratio,
        "work under the reference's code C/D": ratio,
    }


def test_the_greedy_split_table_has_one_row_per_tree():
    text = greedy_split.table(
        {"benchmark": "greedy_split", "runs": [_split_run("before", 1.0), _split_run("after", 1.2)]}
    )
    lines = text.splitlines()
    assert len(lines) == 2 + 2
    assert lines[3].startswith("| after (0123456, 09:26) | 1.20 (1.10-1.30) |")
    assert "| 1,000 / 1,100 | 6,727 / 6,893 | 1 | 0.25 |" in lines[3]


def test_a_speed_table_edited_by_hand_is_caught():
    text = RESULTS.read_text(encoding="utf-8")
    match = MARKER.search(text)
    edited = text[: match.start(3)] + match.group(3).replace("x (", "x  (", 1) + text[match.end(3) :]
    assert edited != text and render(edited) == text


def test_a_table_without_its_evidence_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="no evidence"):
        render("<!-- speed:nothing -->\nold\n<!-- /speed -->\n", tmp_path)


FAKE_BENCHMARK = """import json, os, sys
ours = float(os.environ["FAKE_OURS_" + os.path.basename(os.getcwd())])
if sys.argv[0].endswith("train_throughput.py"):
    result = {"tgt_tok_s": {"ours": ours, "reference": 100.0}}
else:
    modes = ("greedy", "beam5")
    result = {"ours": {m: {"sent_s": ours} for m in modes}, "reference": {m: {"sent_s": 100.0} for m in modes}}
result["machine"] = {"date": "2026-12-05", "cache": os.environ["S2S_BENCH_CACHE"]}
print("preparing ...", file=sys.stderr)
print(json.dumps(result, indent=2))
"""


def _fake_tree(root, name):
    tree = root / name
    (tree / "benchmarks").mkdir(parents=True)
    (tree / ".venv" / "bin").mkdir(parents=True)
    (tree / ".venv" / "bin" / "python").symlink_to(sys.executable)
    for script in ("train_throughput.py", "decode_speed.py"):
        (tree / "benchmarks" / script).write_text(FAKE_BENCHMARK, encoding="utf-8")
    return tree


def test_measure_runs_each_trees_own_scripts_alternately_and_appends(tmp_path, monkeypatch):
    before, after = _fake_tree(tmp_path, "old"), _fake_tree(tmp_path, "new")
    monkeypatch.setenv("FAKE_OURS_old", "110")
    monkeypatch.setenv("FAKE_OURS_new", "121")
    out = tmp_path / "ba.json"
    common = [
        "--before",
        str(before),
        "--after",
        str(after),
        "--out",
        str(out),
        "--cache",
        str(tmp_path / "c"),
    ]
    assert main(["measure", *common, "--repeats", "2"]) == 0
    evidence = json.loads(out.read_text(encoding="utf-8"))
    order = [(r["repeat"], r["benchmark"], r["tree"]) for r in evidence["runs"]]
    assert order[:4] == [
        (0, "train", "before"),
        (0, "train", "after"),
        (0, "decode", "before"),
        (0, "decode", "after"),
    ]
    assert order[4:] == [
        (1, "train", "after"),
        (1, "train", "before"),
        (1, "decode", "after"),
        (1, "decode", "before"),
    ]
    assert {r["result"]["machine"]["cache"] for r in evidence["runs"]} == {str(tmp_path / "c")}  # one cache
    assert evidence["summary"]["train_tok_s"]["after_over_before"]["median"] == 1.1
    assert main(["measure", *common, "--repeats", "1", "--benchmarks", "decode", "--append"]) == 0
    evidence = json.loads(out.read_text(encoding="utf-8"))
    assert evidence["summary"]["greedy_sent_s"]["before"]["ratio"]["n"] == 3
    assert evidence["summary"]["train_tok_s"]["before"]["ratio"]["n"] == 2
    assert len(evidence["commands"]) == 2 and evidence["commands"][1].endswith("--append")


def test_measure_refuses_a_tree_without_its_virtual_environment(tmp_path):
    with pytest.raises(SystemExit, match="make setup"):
        main(["measure", "--before", str(tmp_path), "--out", str(tmp_path / "x.json"), "--repeats", "1"])
