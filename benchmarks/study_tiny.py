"""A `tiny` study end to end: forward and reversed, 3 seeds, on the built-in corpus, then its report.

Bar (issue 8): under 15 minutes on 2 cores. The study runs as a user runs it (`s2s study`, a
subprocess per run, --jobs 2 with 1 thread each), in a fresh folder; the wall time of training
and of the report are read from the timestamps of its progress lines. Other processes on the
machine slow it down: the load average before and after is written beside the times.

    python benchmarks/study_tiny.py [--seeds 3] [--steps N] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import CACHE, ROOT, machine
from core.study.report_file import Report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--steps", type=int, help="default: the tiny preset's")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    out = CACHE / "study_tiny"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "core", "study", "--data", "grammar", "--preset", "tiny",
               "--arms", "forward,reversed", "--seeds", str(args.seeds), "--jobs", str(args.jobs),
               "--threads", "1", "--out", str(out)] + (["--steps", str(args.steps)] if args.steps else [])  # fmt: skip
    load_before = os.getloadavg()
    start = time.perf_counter()
    marks = {}
    with subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) as proc:
        for line in proc.stderr:
            print(line, end="", file=sys.stderr)
            if "measuring" in line and "train_s" not in marks:
                marks["train_s"] = round(time.perf_counter() - start, 1)
    if proc.returncode != 0:
        sys.exit(f"s2s study failed with status {proc.returncode}")
    total = round(time.perf_counter() - start, 1)
    report = Report.read(out)
    result = {
        "benchmark": "study_tiny",
        "command": " ".join(command[1:]),
        "wall_s": total,
        "train_s": marks.get("train_s"),
        "report_s": round(total - marks["train_s"], 1) if "train_s" in marks else None,
        "bar_s": 15 * 60,
        "under_bar": total < 15 * 60,
        "runs": len(report.runs),
        "steps": dict(report.provenance.steps),
        "summary": list(report.summary),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "machine": machine(),
    }
    path = CACHE / "study_tiny.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
