"""Figure 2 over seeds: the runs Home's "Reproduce Figure 2" button trains, for several seeds and
both directions, scored on every built-in probe suite beside the three surface baselines.

For each seed S and direction (reversed, forward) this trains the run the button trains
(explorer/jobs.py start_figure2: the built-in corpus spec `grammar`, word-level vocabulary, the
`fast` preset, one thread), i.e.

    s2s train --data grammar --preset fast --steps 4000 --seed S --threads 1 --reverse-source

then scores it on every built-in suite (core.analysis.probe_report.report_suite: the model's
margin with its bootstrap interval over families, the bag-of-words, bag-of-bigrams and untrained
baselines, the lead over the best baseline) and the reversed-minus-forward paired difference
per seed. It writes benchmarks/out/figure2_seeds/results.json and table.md (mean and range over
seeds for each suite x direction). Run folders that exist are reused: a finished run is only
scored, an interrupted one is resumed.

    python benchmarks/figure2_seeds.py [--steps 4000] [--seeds 0,1,2] [--jobs 2] [--preset fast]
    python benchmarks/figure2_seeds.py --preset tiny --steps 100 --out /tmp/fig2-smoke   # a smoke test
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine  # noqa: E402

DIRECTIONS = {"reversed": True, "forward": False}
THREADS_PER_RUN = 1  # the button trains its two runs at once on a 2-core machine: one thread each


def run_folder(out: Path, direction: str, seed: int) -> Path:
    return out / "runs" / f"{direction}-seed{seed}"


def train_command(folder: Path, reverse: bool, seed: int, steps: int, preset: str) -> list[str]:
    """The `s2s train` command of Home's Figure 2 runs (the same builder the app uses)."""
    from core.run.folder import CONFIG, STATE
    from explorer.train_command import TrainOptions, train_argv

    options = TrainOptions(data="grammar", preset=preset, reverse_source=reverse, steps=steps, seed=seed,
                           threads=THREADS_PER_RUN)  # fmt: skip
    if (folder / CONFIG).is_file() and (folder / STATE).is_file():
        return ["train", "--resume", "--out", str(folder), "--steps", str(steps), "--threads", str(THREADS_PER_RUN),
                "--no-progress"]  # fmt: skip
    return train_argv(options, folder)


def is_finished(folder: Path, steps: int) -> bool:
    from core.run.folder import STATUS, read_json

    status = read_json(folder / STATUS) if (folder / STATUS).is_file() else {}
    return status.get("state") == "finished" and int(status.get("step", 0)) >= steps


def train(folder: Path, reverse: bool, seed: int, steps: int, preset: str) -> dict:
    if is_finished(folder, steps):
        return {"run": folder.name, "trained": False, "seconds": 0.0}
    if folder.exists() and not (folder / "state.pt").is_file():
        raise SystemExit(f"{folder} exists but has no checkpoint to resume: delete it and rerun")
    argv = [sys.executable, "-m", "core", *train_command(folder, reverse, seed, steps, preset)]
    folder.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    print(f"training {folder.name}: {' '.join(argv[2:])}", file=sys.stderr, flush=True)
    with open(folder.parent / f"{folder.name}.log", "a", encoding="utf-8") as log:
        done = subprocess.run(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise SystemExit(f"training {folder.name} failed: see {folder.parent / (folder.name + '.log')}")
    seconds = time.perf_counter() - start
    print(f"trained {folder.name} in {seconds:.0f} s", file=sys.stderr, flush=True)
    return {"run": folder.name, "trained": True, "seconds": round(seconds, 1)}


def dev_scores(folder: Path) -> dict:
    from core.run.folder import read_metrics

    dev = [r for r in read_metrics(folder, "dev") if r.get("bleu") is not None]
    return {"step": dev[-1]["step"], "bleu": dev[-1]["bleu"], "ppl": dev[-1]["ppl"]} if dev else {}


def score(folders: dict[tuple[str, int], Path], n_boot: int) -> dict:
    """Every run on every built-in suite, with baselines; the paired rev - fwd difference per seed."""
    from core.analysis.probe_report import report_suite
    from core.analysis.probe_scores import paired_difference
    from core.analysis.probe_settings import ProbeSettings
    from core.analysis.suites import builtin_suites
    from core.run.loaded import load_run

    suites = builtin_suites()
    settings = ProbeSettings(n_boot=n_boot)
    scores: dict[str, dict] = {name: {} for name in suites}
    results = {}
    for (direction, seed), folder in folders.items():
        run = load_run(folder, device="cpu")
        print(f"scoring {folder.name}", file=sys.stderr, flush=True)
        for name, table in suites.items():
            report = report_suite(run, table, settings)
            results[(direction, seed, name)] = report.model
            scores[name][f"{direction}-seed{seed}"] = {
                k: v for k, v in report.to_dict().items() if k != "per_family"
            }
    seeds = sorted({seed for _, seed in folders})
    for name in suites:
        for seed in seeds:
            pair = [results[(d, seed, name)] for d in DIRECTIONS]
            scores[name][f"reversed-forward-seed{seed}"] = paired_difference(*pair, n_boot=n_boot).to_dict()
    return scores


def summary(scores: dict, seeds: list[int]) -> dict:
    """Mean and range over seeds: each direction's margin and lead, the baselines, rev - fwd."""
    from core.analysis.probe_report import seed_summary
    from core.analysis.suites import builtin_suites

    suites = builtin_suites()
    out = {}
    for name, by_run in scores.items():
        row = {"n": len(suites[name].rows), "baselines": {}}
        for direction in DIRECTIONS:
            reports = [by_run[f"{direction}-seed{s}"] for s in seeds]
            row[direction] = {
                "margin": seed_summary([r["margin"] for r in reports]),
                "lead": seed_summary([r["lead"]["margin"] for r in reports]),
                "beats_baselines": sum(r["beats_baselines"] for r in reports),
                "best_baseline": sorted({r["lead"]["over"] for r in reports}),
            }
            for baseline in reports[0]["baselines"]:
                key = baseline if baseline != "untrained" else f"untrained_{direction}"
                row["baselines"][key] = seed_summary([r["baselines"][baseline]["margin"] for r in reports])
        row["reversed_minus_forward"] = seed_summary(
            [by_run[f"reversed-forward-seed{s}"]["difference"] for s in seeds]
        )
        out[name] = row
    return out


def _span(s: dict) -> str:
    return f"{s['mean']:+.3f} [{s['min']:+.3f}, {s['max']:+.3f}]"


def dev_line(runs: dict) -> str:
    """Dev BLEU at the last evaluation, per direction: mean [min, max] over seeds."""
    from core.analysis.probe_report import seed_summary

    parts = []
    for direction in DIRECTIONS:
        bleu = [r["dev"]["bleu"] for r in runs.values() if r["direction"] == direction and r["dev"]]
        if bleu:
            s = seed_summary(bleu)
            parts.append(f"{direction} {s['mean']:.1f} [{s['min']:.1f}, {s['max']:.1f}]")
    return "Dev BLEU (greedy, last evaluation): " + "; ".join(parts) + "."


def markdown(rows: dict, seeds: list[int], settings: str, runs: dict) -> str:
    k = len(seeds)
    lines = [
        dev_line(runs),
        "",
        f"Settings: {settings}. Mean over {k} seeds ({', '.join(map(str, seeds))}) [min, max over seeds]. "
        "A margin's bootstrap interval covers sentence families, not trainings: the range over seeds "
        "is the training variance. Lead = margin minus the best baseline's; beats = seeds whose paired "
        "95% interval of the lead over every baseline is above 0.",
        "",
        "| suite | n | bag of words | bag of bigrams | untrained rev / fwd | reversed margin | forward margin "
        "| reversed lead (beats) | forward lead (beats) | rev - fwd |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        b = row["baselines"]
        untrained = f"{b['untrained_reversed']['mean']:+.3f} / {b['untrained_forward']['mean']:+.3f}"
        rev, fwd = row["reversed"], row["forward"]
        lines.append(
            f"| {name} | {row['n']} | {b['bag_of_words']['mean']:+.3f} | {b['bag_of_bigrams']['mean']:+.3f} "
            f"| {untrained} | {_span(rev['margin'])} | {_span(fwd['margin'])} "
            f"| {_span(rev['lead'])} ({rev['beats_baselines']}/{k}) "
            f"| {_span(fwd['lead'])} ({fwd['beats_baselines']}/{k}) | {_span(row['reversed_minus_forward'])} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    from core.analysis.bootstrap import N_BOOT

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=4000, help="training steps per run (the preset's 4000)")
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated training seeds")
    parser.add_argument("--jobs", type=int, default=2, help="runs trained at once (one thread each)")
    parser.add_argument("--preset", default="fast", help="fast, as the button; tiny for a smoke test")
    parser.add_argument("--boot", type=int, default=N_BOOT, help="bootstrap resamples per margin")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "figure2_seeds")
    parser.add_argument("--train-only", action="store_true", help="train (or resume) the runs, score nothing")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    folders = {(d, s): run_folder(args.out, d, s) for s in seeds for d in DIRECTIONS}
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        jobs = [
            pool.submit(train, f, DIRECTIONS[d], s, args.steps, args.preset) for (d, s), f in folders.items()
        ]
        training = [job.result() for job in jobs]
    if args.train_only:
        return 0
    scores = score(folders, args.boot)
    rows = summary(scores, seeds)
    settings = (f"`s2s train --data grammar --preset {args.preset} --steps {args.steps} --seed S --threads "
                f"{THREADS_PER_RUN}` (word-level vocabulary), reversed and --no-reverse-source; probes on "
                f"hc of all layers, {args.boot} bootstrap resamples")  # fmt: skip
    runs = {f.name: {"direction": d, "seed": s, "dev": dev_scores(f)} for (d, s), f in folders.items()}
    result = {"settings": settings, "seeds": seeds, "steps": args.steps, "preset": args.preset,
              "machine": machine(), "training": training, "runs": runs, "summary": rows, "scores": scores}  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    table = markdown(rows, seeds, settings, runs)
    (args.out / "table.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
