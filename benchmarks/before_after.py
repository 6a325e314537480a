"""No slower: our speed against the plain-PyTorch reference, before and after a round, in one sitting.

Runs each checkout's own benchmarks/train_throughput.py and benchmarks/decode_speed.py with that
checkout's own .venv/bin/python (so each tree's code is measured by its own benchmark, as it was
written then). Every run measures ours and the reference (../shared/peers/plain_torch_ref.py) in
fresh processes, so each run gives its own ratio. The two trees alternate, in the order ABBA ABBA
..., so that drift on a shared machine hits both alike; every figure is the median over repeats,
with the spread (min-max) of the per-repeat ratios. Both trees read one cache (the peers' data and
split, the reference's checkpoint and our 250-step decoding model, trained once by whichever tree
runs first): both decode the same weights, so a difference in decoding speed is the code's.

    python benchmarks/before_after.py measure --before ../speed-before [--after .] [--repeats 3] \\
        [--benchmarks train,decode] [--append] [--out benchmarks/out/before_after.json]
    python benchmarks/before_after.py evidence benchmarks/out/before_after.json no_slower  # commit
    python benchmarks/before_after.py table benchmarks/evidence/no_slower.json   # print the table
    python benchmarks/before_after.py tables [--check]   # RESULTS.md's marked table from the evidence

`--append` adds the new repeats to an existing JSON (so a sitting can be split into windows) and
recomputes the summary over all of them. The committed evidence is benchmarks/evidence/NAME.json
(`evidence`: the measure JSON without each script's full output, its (ours, reference) pairs kept);
RESULTS.md's table between `<!-- speed:NAME -->` and `<!-- /speed -->` is made from it alone
(tests/test_speed_evidence.py checks it). Speed is never asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks.common and benchmarks.greedy_split, when run as a script

from benchmarks.common import tree_provenance  # noqa: E402

EVIDENCE = ROOT / "benchmarks" / "evidence"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
MARKER = re.compile(r"(<!-- speed:([\w-]+) -->\n)(.*?)(<!-- /speed -->)", re.S)
TREES = ("before", "after")
# benchmark -> (script, arguments that both trees' versions accept)
BENCHMARKS = {
    "train": ("train_throughput.py", ["--repeats", "1"]),
    "decode": ("decode_speed.py", []),
}
# figure -> (benchmark, label, what is compared: (ours, reference) from one run's JSON)
FIGURES = {
    "train_tok_s": ("train", "training, target tokens/s"),
    "greedy_sent_s": ("decode", "greedy decoding, sentences/s"),
    "beam5_sent_s": ("decode", "beam 5 decoding, sentences/s"),
}


def pair(figure: str, result: dict) -> tuple[float, float]:
    """(ours, reference) for `figure` from one run of its benchmark script."""
    if figure == "train_tok_s":
        return result["tgt_tok_s"]["ours"], result["tgt_tok_s"]["reference"]
    mode = figure.removesuffix("_sent_s")
    return result["ours"][mode]["sent_s"], result["reference"][mode]["sent_s"]


def run_pairs(run: dict) -> dict[str, tuple[float, float]]:
    """{figure: (ours, reference)} of one run: from its script's JSON, or as the evidence keeps it."""
    if "pairs" in run:
        return {figure: tuple(value) for figure, value in run["pairs"].items()}
    return {f: pair(f, run["result"]) for f, (bench, _) in FIGURES.items() if bench == run["benchmark"]}


def provenance(tree: Path) -> dict:
    """Where a checkout is, the commit it is at and the files it has changed since."""
    return {"path": str(tree), **tree_provenance(tree)}


def run_benchmark(tree: Path, bench: str, cache: Path) -> dict:
    """One run of `tree`'s benchmark script with `tree`'s own python; its JSON."""
    script, args = BENCHMARKS[bench]
    python = tree / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{python} not found: run `make setup` in {tree}")
    env = {
        **os.environ,
        "S2S_BENCH_CACHE": str(cache),
        "S2S_PEERS": os.environ.get("S2S_PEERS", str(ROOT.parent / "shared" / "peers")),
        "S2S_SHARED_DATA": os.environ.get("S2S_SHARED_DATA", str(ROOT.parent / "shared" / "data")),
    }
    cmd = [str(python), str(tree / "benchmarks" / script), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tree)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout[done.stdout.index("{") :])


def spread(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "n": len(values),
    }


def summarise(runs: list[dict]) -> dict:
    """Per figure, over the repeats that both trees completed: each tree's per-repeat ratios (ours /
    reference) with their median and spread, the medians of ours and the reference, and after /
    before of the ratios, repeat by repeat."""
    out = {}
    for figure, (bench, label) in FIGURES.items():
        by_tree: dict[str, dict[int, tuple[float, float]]] = {tree: {} for tree in TREES}
        for run in runs:
            if run["benchmark"] == bench:
                by_tree[run["tree"]][run["repeat"]] = run_pairs(run)[figure]
        both = sorted(set(by_tree["before"]) & set(by_tree["after"]))
        if not both:
            continue
        entry = {"label": label, "repeats": both}
        for tree, pairs in by_tree.items():
            ours, ref = zip(*(pairs[i] for i in both))
            ratios = [o / r for o, r in zip(ours, ref)]
            entry[tree] = {
                "ratio": spread(ratios),
                "ratio_runs": [round(x, 3) for x in ratios],
                "ours_median": round(statistics.median(ours), 1),
                "reference_median": round(statistics.median(ref), 1),
            }
        before, after = entry["before"]["ratio_runs"], entry["after"]["ratio_runs"]
        entry["after_over_before"] = spread([a / b for a, b in zip(after, before)])
        out[figure] = entry
    return out


def measure(args: argparse.Namespace, command: str) -> None:
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    out: Path = args.out
    previous = json.loads(out.read_text(encoding="utf-8")) if args.append and out.exists() else None
    runs = previous["runs"] if previous else []
    first = 1 + max((r["repeat"] for r in runs), default=-1)
    benches = args.benchmarks.split(",")
    unknown = set(benches) - set(BENCHMARKS)
    if unknown:
        raise SystemExit(f"unknown benchmark {sorted(unknown)} (choose from {', '.join(BENCHMARKS)})")
    cache = args.cache.resolve()
    commands = [*(previous["commands"] if previous else []), command]
    for repeat in range(first, first + args.repeats):
        order = TREES if repeat % 2 == 0 else TREES[::-1]  # ABBA: each tree goes first as often
        for bench in benches:
            for tree in order:
                started, start = time.strftime("%Y-%m-%d %H:%M:%S"), time.perf_counter()
                load = round(os.getloadavg()[0], 2)  # 1-minute load average as the run starts
                result = run_benchmark(trees[tree], bench, cache)
                wall = round(time.perf_counter() - start, 1)
                runs.append(
                    {
                        "repeat": repeat,
                        "benchmark": bench,
                        "tree": tree,
                        "started": started,
                        "load": load,
                        "wall_s": wall,
                    }
                    | {"result": result}
                )
                print(f"repeat {repeat} {bench} {tree}: {wall} s", file=sys.stderr)
                write(out, trees, commands, runs)  # after every run: a sitting cut short keeps its runs
    print(json.dumps(summarise(runs), indent=1))


def write(out: Path, trees: dict[str, Path], commands: list[str], runs: list[dict]) -> None:
    report = {
        "benchmark": "before_after",
        "commands": commands,
        "trees": {name: provenance(path) for name, path in trees.items()},
        "machine": runs[0]["result"]["machine"],
        "summary": summarise(runs),
        "runs": runs,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


def evidence(report: dict) -> dict:
    """A measure JSON cut to what the table and its prose need: the provenance, the settings, the
    summary, and every run's (ours, reference) pairs with its time, load and wall clock."""
    settings = {}
    for run in report["runs"]:
        settings.setdefault(run["benchmark"], run["result"]["config"])
    keep = ("repeat", "benchmark", "tree", "started", "load", "wall_s")
    runs = [{k: run[k] for k in keep if k in run} | {"pairs": run_pairs(run)} for run in report["runs"]]
    return {
        "benchmark": "before_after",
        "commands": report["commands"],
        "trees": report["trees"],
        "machine": report["machine"],
        "settings": settings,
        "summary": summarise(runs),
        "runs": runs,
    }


def ratio_cell(r: dict) -> str:
    return f"{r['ratio']['median']:.2f}x ({r['ratio']['min']:.2f}-{r['ratio']['max']:.2f})"


def table(evidence: dict) -> str:
    """RESULTS.md's 'No slower' table, made from one before_after JSON alone."""
    head = [
        "figure",
        "before: ours / reference",
        "after: ours / reference",
        "after / before",
        "ours before / after",
        "reference before / after",
        "repeats",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for entry in evidence["summary"].values():
        b, a, q = entry["before"], entry["after"], entry["after_over_before"]
        cells = [
            entry["label"],
            ratio_cell(b),
            ratio_cell(a),
            f"{q['median']:.2f} ({q['min']:.2f}-{q['max']:.2f})",
            f"{b['ours_median']:,.0f} / {a['ours_median']:,.0f}",
            f"{b['reference_median']:,.0f} / {a['reference_median']:,.0f}",
            str(q["n"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render(text: str, evidence_dir: Path = EVIDENCE) -> str:
    """`text` with every `<!-- speed:NAME -->` table made anew from evidence_dir/NAME.json (by the
    table of the script that wrote it: before_after or greedy_split)."""
    from benchmarks import greedy_split

    tables = {"before_after": table, "greedy_split": greedy_split.table}

    def fill(match: re.Match) -> str:
        path = evidence_dir / f"{match.group(2)}.json"
        if not path.is_file():
            raise SystemExit(f"no evidence {path} for the table speed:{match.group(2)}")
        found = json.loads(path.read_text(encoding="utf-8"))
        return match.group(1) + tables[found["benchmark"]](found) + match.group(4)

    return MARKER.sub(fill, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="run both trees' benchmarks, alternating")
    m.add_argument("--before", type=Path, required=True, help="the older checkout (with its own .venv)")
    m.add_argument("--after", type=Path, default=ROOT, help="the newer checkout (default: this one)")
    m.add_argument("--repeats", type=int, default=3)
    m.add_argument("--benchmarks", default="train,decode", help="comma-separated: train, decode")
    m.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / "out" / "before_after" / "cache")
    m.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "before_after.json")
    m.add_argument("--append", action="store_true", help="add to --out's repeats instead of replacing them")
    e = sub.add_parser("evidence", help="write benchmarks/evidence/NAME.json from a measure JSON")
    e.add_argument("json", type=Path)
    e.add_argument("name")
    t = sub.add_parser("table", help="print the markdown table of one JSON")
    t.add_argument("json", type=Path)
    ts = sub.add_parser("tables", help="rewrite RESULTS.md's marked tables from benchmarks/evidence")
    ts.add_argument("--check", action="store_true", help="write nothing; exit 1 when a table differs")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    if args.command == "measure":
        measure(args, " ".join(["python benchmarks/before_after.py", *argv]))
    elif args.command == "evidence":
        cut = evidence(json.loads(args.json.read_text(encoding="utf-8")))
        (EVIDENCE / f"{args.name}.json").write_text(json.dumps(cut, indent=1) + "\n", encoding="utf-8")
    elif args.command == "table":
        print(table(json.loads(args.json.read_text(encoding="utf-8"))), end="")
    else:
        text = RESULTS.read_text(encoding="utf-8")
        if args.check:
            return int(render(text) != text)
        RESULTS.write_text(render(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
