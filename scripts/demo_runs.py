"""Train and ship the demo pair (demo/runs): Home's "Reproduce Figure 2" settings, forward and reversed.

    nice -n 10 .venv/bin/python scripts/demo_runs.py            # trains in build/demo-runs, then ships
    .venv/bin/python scripts/demo_runs.py --ship-only           # ship runs already trained there

Both runs train at once (one thread each, as the button does) with `s2s train` and the settings of
explorer.jobs.figure2_options: the built-in grammar, preset fast, seed 0, stopped once dev BLEU has
stopped rising. Only what inference needs is shipped: config.json, the weights, the tokenizer
files, metrics.jsonl (the curves) and a status.json without process details; no optimizer state.
The weights are stored in float16 when that changes no translation and no probe margin at the
precision the app shows (3 decimals); otherwise in float32. demo/MANIFEST.json records each file's
SHA-256 and the check's outcome.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.run.demo import DEMO_PAIR, DEMO_ROOT, RUNS, demo_runs_dir, record  # noqa: E402
from core.run.folder import CONFIG, METRICS, WEIGHTS  # noqa: E402
from core.run.status import RunStatus, read_status, save_status  # noqa: E402
from explorer.jobs import command, figure2_options  # noqa: E402
from explorer.train.command import train_argv  # noqa: E402

DIRECTIONS = {"forward": False, "reversed": True}  # the work folders, in DEMO_PAIR's order
SHIPPED_STATUS = ("state", "step", "total_steps", "message", "plateau", "device", "n_train")  # no pid
MARGIN_DECIMALS = 3  # what the app shows of a margin
CHECK_SUITES = ("voice", "fronting", "bshift", "tense", "figure2_left", "figure2_right")


def train(work: Path) -> None:
    """Train the runs not finished yet in `work`, at once, one thread each."""
    processes = []
    for name, reverse in DIRECTIONS.items():
        run = work / name
        if read_status(run).state == "finished":
            continue
        argv = train_argv(figure2_options(reverse, threads=1), run)
        if run.exists():  # interrupted: continue it
            argv = ["train", "--out", str(run), "--resume", "--no-progress"]
        print("$ s2s " + " ".join(argv), flush=True)
        processes.append(subprocess.Popen(command(argv), cwd=ROOT))
    if any(p.wait() != 0 for p in processes):
        raise SystemExit("a training process failed: see its output above")


def copy_run(run: Path, dest: Path, half: bool) -> None:
    """The inference files of `run` into `dest` (weights in float16 if `half`)."""
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for path in sorted(run.iterdir()):
        if path.name in (CONFIG, METRICS) or path.name.startswith(("src.", "tgt.")):
            shutil.copy2(path, dest / path.name)
    tensors = load_file(str(run / WEIGHTS))
    with safe_open(str(run / WEIGHTS), framework="pt") as f:
        metadata = f.metadata() or {}
    if half:
        tensors = {k: v.half() if v.is_floating_point() else v for k, v in tensors.items()}
    save_file(tensors, str(dest / WEIGHTS), metadata=metadata)
    status = read_status(run)
    save_status(dest, RunStatus(**{k: getattr(status, k) for k in SHIPPED_STATUS}))


def outputs(run: Path) -> dict:
    """What the app shows of a run that the weights' precision could change: beam-5 translations
    of the Figure 2 sentences and 200 dev sentences, and the probe margins (3 decimals)."""
    from core.analysis.probe_scores import score_suite
    from core.analysis.suites import load_suite
    from core.config.search import SearchConfig
    from core.corpus.grammar import FIGURE2_LEFT, FIGURE2_RIGHT
    from core.run.data import run_data
    from core.run.loaded import load_run
    from core.translate import translate_best

    loaded = load_run(run, device="cpu")
    sentences = [*FIGURE2_LEFT, *FIGURE2_RIGHT] + [s for s, _ in run_data(run, loaded.config).dev[:200]]
    margins = {}
    for name in CHECK_SUITES:
        result = score_suite(loaded, load_suite(f"builtin:{name}"))
        margins[name] = [
            round(x, MARGIN_DECIMALS) for x in (result.margin, result.margin_low, result.margin_high)
        ]
    return {"translations": translate_best(loaded, sentences, SearchConfig(beam=5)), "margins": margins}


def ship(work: Path) -> dict:
    """Copy both runs into demo/runs, in float16 if nothing shown changes; returns the manifest notes."""
    shipped_name = dict(zip(DIRECTIONS, DEMO_PAIR))
    target = demo_runs_dir()
    if target.exists():
        shutil.rmtree(target)
    notes = {"settings": {}, "float16_check": {}}
    half = True
    for name, reverse in DIRECTIONS.items():
        run, dest = work / name, target / shipped_name[name]
        copy_run(run, dest, half=True)
        full, reduced = outputs(run), outputs(dest)
        differing = [
            i for i, (a, b) in enumerate(zip(full["translations"], reduced["translations"])) if a != b
        ]
        moved = {s: (full["margins"][s], reduced["margins"][s]) for s in CHECK_SUITES}
        moved = {s: pair for s, pair in moved.items() if pair[0] != pair[1]}
        notes["float16_check"][name] = {
            "translations_compared": len(full["translations"]),
            "translations_changed": len(differing),
            "margins_compared": f"{len(CHECK_SUITES)} suites, margin and 95% interval at {MARGIN_DECIMALS} decimals",
            "margins_changed": {s: {"float32": a, "float16": b} for s, (a, b) in moved.items()},
        }
        half = half and not differing and not moved
        notes["settings"][name] = "s2s " + " ".join(
            train_argv(figure2_options(reverse, threads=1), Path(name))
        )
    if not half:  # something shown changed: ship float32
        for name in DIRECTIONS:
            copy_run(work / name, target / shipped_name[name], half=False)
    notes["weights"] = "float16" if half else "float32 (float16 changed what the app shows)"
    record(RUNS, notes, DEMO_ROOT)
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "demo-runs", help="where the runs train"
    )
    parser.add_argument("--ship-only", action="store_true", help="ship the runs already trained in --work")
    args = parser.parse_args()
    if not args.ship_only:
        train(args.work)
    print(json.dumps(ship(args.work), indent=2))


if __name__ == "__main__":
    main()
