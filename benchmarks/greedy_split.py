"""Greedy decoding against the reference, split into work and code, in one process.

decode_speed.py's greedy ratio compares two things at once: our code against the reference's,
and our model against the reference's model (each trained 250 steps by its own code), whose
outputs differ in length; a batch decodes until its longest output ends, so the models set the
number of decoder steps. This script decodes the 1,000 dev sentences four ways in one process,
the passes interleaved (ABCD DCBA ...) so that drift on a shared machine hits all four alike:

    A  our greedy_search on our weights          B  our greedy_search on the reference's weights
    C  the reference's greedy on its weights     D  the reference's greedy on our weights

C/A is what decode_speed.py reports; C/B and D/A compare the code on the same weights; B/A and
C/D compare the work of the two models under the same code. Both codes give the same outputs on
the same weights (checked). The weights are decode_speed.py's cache (run it first, or
before_after.py, whose cache is the default here). Each tree's core is measured in its own process
with the same weights: the tree's own .venv/bin/python, or this one where the tree has none (its
core and benchmarks/ are put first on the path; checked). The reference's code is the yardstick
in every process, so C/B and D/A compare across trees measured in different processes.

    python benchmarks/greedy_split.py measure --tree after=. --tree before=../speed-before \
        [--rounds 10] [--threads 2] [--append] [--out benchmarks/out/greedy_split.json]
    python benchmarks/greedy_split.py table benchmarks/evidence/greedy_split.json
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MAX_LEN, BATCH = 50, 64  # decode_speed.py's
WAYS = "ABCD"
WHO = {"ours": "A", "reference": "C"}  # each model under its own code, as decode_speed.py runs them


def _first(names: tuple[str, ...], attribute: str):
    """`attribute` from the first of `names` that has it (the module moved between rounds)."""
    for name in names:
        try:
            return getattr(importlib.import_module(name), attribute)
        except (ImportError, AttributeError):
            continue
    raise SystemExit(f"no {attribute} in {names}")


def measure(tree: Path, rounds: int, threads: int) -> dict:
    sys.path.insert(0, str(tree))
    import torch
    from safetensors.torch import load_file

    import core
    from benchmarks.common import CACHE, PEERS, peers_data, read_ids, vocab
    from core.batching import pad, sequential_batches
    from core.model import Seq2Seq
    from core.search import greedy_search

    if not Path(core.__file__).resolve().is_relative_to(tree):
        raise SystemExit(f"core came from {core.__file__}, not {tree}: run with that checkout's python")
    model_config = _first(("core.config.model", "core.model_config", "core.model"), "ModelConfig")
    search_config = _first(("core.config.search", "core.search"), "SearchConfig")
    spec = importlib.util.spec_from_file_location("plain_torch_ref", PEERS / "plain_torch_ref.py")
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    torch.set_num_threads(threads)

    data = peers_data()
    stoi = vocab(data)
    if not (CACHE / "decode-ours.safetensors").exists() or not (CACHE / "decode-ref.pt").exists():
        raise SystemExit(f"no trained models in {CACHE}: run benchmarks/decode_speed.py first")
    ckpt = torch.load(CACHE / "decode-ref.pt", weights_only=True)
    assert ckpt["itos"] == list(stoi) and not ckpt["cfg"]["reverse_src"]
    ours_w, ref_w = load_file(str(CACHE / "decode-ours.safetensors")), ckpt["model"]
    names = (("src_emb.", "src_embed."), ("tgt_emb.", "tgt_embed."))

    def renamed(state: dict, to_ours: bool) -> dict:
        out = {}
        for key, value in state.items():
            for theirs, ours in names:
                key = key.replace(theirs, ours) if to_ours else key.replace(ours, theirs)
            out[key] = value
        return out

    def ours_model(state: dict):
        config = model_config(
            len(stoi), len(stoi), emb_dim=256, hidden=512, layers=2, dropout=0.2, reverse_source=False
        )
        model = Seq2Seq(config)
        model.load_state_dict(state)
        return model.eval()

    def ref_model(state: dict):
        model = ref.Seq2Seq(len(stoi))
        model.load_state_dict(state)
        return model.eval()

    models = {
        "A": ours_model(ours_w),
        "B": ours_model(renamed(ref_w, to_ours=True)),
        "C": ref_model(ref_w),
        "D": ref_model(renamed(ours_w, to_ours=False)),
    }
    dev = [s[:MAX_LEN] or [3] for s in read_ids(data / "sp.dev.en", stoi)]
    batches = [
        (pad([dev[i] for i in index]), torch.tensor([len(dev[i]) for i in index]))
        for index in sequential_batches([len(s) for s in dev], BATCH)
    ]
    search = search_config(max_len_a=0.0, max_len_b=MAX_LEN)

    def decode(way: str) -> list[list[int]]:
        model, out = models[way], []
        for src, src_len in batches:
            if way in "AB":
                out.append([h.tokens for h in greedy_search(model, src, src_len, search)])
            else:
                out.append(ref.greedy(model, src, src_len, MAX_LEN))
        return out

    outputs = {way: decode(way) for way in WAYS}  # also the warm-up
    if outputs["A"] != outputs["D"] or outputs["B"] != outputs["C"]:
        raise SystemExit("the two codes decode the same weights differently")
    seconds: dict[str, list[float]] = {way: [] for way in WAYS}
    for r in range(rounds):
        for way in WAYS if r % 2 == 0 else WAYS[::-1]:
            start = time.perf_counter()
            decode(way)
            seconds[way].append(time.perf_counter() - start)

    def ratios(slow: str, fast: str) -> dict:
        """Seconds of `slow` / seconds of `fast` in each round: how much faster `fast` decodes."""
        runs = [s / f for s, f in zip(seconds[slow], seconds[fast])]
        return {
            "median": round(statistics.median(runs), 3),
            "min": round(min(runs), 3),
            "max": round(max(runs), 3),
            "runs": [round(x, 3) for x in runs],
        }

    def steps(way: str) -> int:  # a batch runs until its longest output ends, at most MAX_LEN steps
        return sum(min(MAX_LEN, 1 + max(len(t) for t in batch)) for batch in outputs[way])

    return {
        "tree": str(tree),
        "threads": threads,
        "rounds": rounds,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "decoder_steps": {who: steps(way) for who, way in WHO.items()},
        "output_tokens": {
            who: sum(len(t) for batch in outputs[way] for t in batch) for who, way in WHO.items()
        },
        "median_seconds": {way: round(statistics.median(s), 3) for way, s in seconds.items()},
        # seconds / seconds, round by round: above 1, the second decodes faster
        "benchmark C/A": ratios("C", "A"),  # decode_speed.py's greedy ratio
        "code on the reference's weights C/B": ratios("C", "B"),
        "code on our weights D/A": ratios("D", "A"),
        "work under our code B/A": ratios("B", "A"),
        "work under the reference's code C/D": ratios("C", "D"),
    }


def provenance(tree: Path) -> dict:
    """The commit a checkout is at, and the files it has changed since (if any). Not imported from
    benchmarks.common (tree_provenance): a worker must import the measured tree's benchmarks
    package, not this checkout's, so this script imports none of it at the top."""

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True).stdout

    dirty = [line[3:] for line in git("status", "--porcelain").splitlines() if line]  # "XY path"
    return {"commit": git("rev-parse", "HEAD").strip(), "changed_files": dirty}


def run_tree(label: str, tree: Path, rounds: int, threads: int, cache: Path) -> dict:
    """One worker process for `tree` (its own python where it has a .venv); its JSON, labelled."""
    own = tree / ".venv" / "bin" / "python"
    python = own if own.exists() else Path(sys.executable)
    cmd = [
        str(python),
        __file__,
        "worker",
        "--tree",
        str(tree),
        "--rounds",
        str(rounds),
        "--threads",
        str(threads),
    ]
    load = round(os.getloadavg()[0], 2)  # 1-minute load average as the worker starts
    done = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, "S2S_BENCH_CACHE": str(cache)}
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return {"label": label, "python": str(python), "load": load, **provenance(tree)} | json.loads(done.stdout)


def measure_trees(args: argparse.Namespace, command: str) -> None:
    out: Path = args.out
    previous = json.loads(out.read_text(encoding="utf-8")) if args.append and out.exists() else None
    report = previous or {
        "benchmark": "greedy_split",
        "commands": [],
        "cache": str(args.cache.resolve()),
        "runs": [],
    }
    report["commands"].append(command)
    for spec in args.tree:
        label, _, path = spec.rpartition("=")
        tree = Path(path).resolve()
        report["runs"].append(
            run_tree(label or tree.name, tree, args.rounds, args.threads, args.cache.resolve())
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")  # after every tree
        print(f"{spec}: done", file=sys.stderr)


def cell(r: dict) -> str:
    return f"{r['median']:.2f} ({r['min']:.2f}-{r['max']:.2f})"


def table(evidence: dict) -> str:
    """RESULTS.md's greedy split table, made from one greedy_split JSON alone: per tree, our speed
    over the reference's (seconds of the reference's pass / seconds of ours, median and min-max
    over the rounds)."""
    head = [
        "tree (commit, started)",
        "benchmark: our model and code / the reference's (C/A)",
        "code alone, the reference's weights (C/B)",
        "code alone, our weights (D/A)",
        "model work, our code: the reference's model / ours (B/A)",
        "model work, the reference's code (C/D)",
        "decoder steps ours / reference's",
        "output tokens ours / reference's",
        "rounds",
        "load at start",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for run in evidence["runs"]:
        cells = [
            f"{run['label']} ({run['commit'][:7]}, {run['date'][-5:]})",
            cell(run["benchmark C/A"]),
            cell(run["code on the reference's weights C/B"]),
            cell(run["code on our weights D/A"]),
            cell(run["work under our code B/A"]),
            cell(run["work under the reference's code C/D"]),
            f"{run['decoder_steps']['ours']:,} / {run['decoder_steps']['reference']:,}",
            f"{run['output_tokens']['ours']:,} / {run['output_tokens']['reference']:,}",
            str(run["rounds"]),
            f"{run['load']:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="one worker process per tree, one after another")
    m.add_argument("--tree", action="append", required=True, help="LABEL=PATH of a checkout (repeatable)")
    m.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / "out" / "before_after" / "cache")
    m.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "greedy_split.json")
    m.add_argument("--append", action="store_true", help="add to --out's runs instead of replacing them")
    w = sub.add_parser("worker", help=argparse.SUPPRESS)
    w.add_argument("--tree", type=Path, default=ROOT)
    for parser in (m, w):
        parser.add_argument("--rounds", type=int, default=10)
        parser.add_argument("--threads", type=int, default=2)
    t = sub.add_parser("table", help="print the markdown table of one JSON")
    t.add_argument("json", type=Path)
    argv = sys.argv[1:] if argv is None else argv
    args = p.parse_args(argv)
    if args.command == "worker":
        print(json.dumps(measure(args.tree.resolve(), args.rounds, args.threads)))
    elif args.command == "measure":
        measure_trees(args, " ".join(["python benchmarks/greedy_split.py", *argv]))
    else:
        print(table(json.loads(args.json.read_text(encoding="utf-8"))), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
