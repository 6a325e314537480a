"""Shared pieces of the benchmarks: the peers' data, subprocess runs, JSON output.

The plain-PyTorch reference and the peer data preparation live in ../shared/peers/ (not in
this project). Every figure is measured in the same run as the reference it is compared to.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEERS = Path(os.environ.get("S2S_PEERS", ROOT.parent / "shared" / "peers"))
SHARED_DATA = Path(os.environ.get("S2S_SHARED_DATA", ROOT.parent / "shared" / "data"))
CACHE = Path(os.environ.get("S2S_BENCH_CACHE", ROOT / "benchmarks" / "out"))
THREADS = int(os.environ.get("S2S_BENCH_THREADS", "2"))
SPECIALS = ["<pad>", "<s>", "</s>", "<unk>"]  # the reference's order: the same as core.tokenizer's


def peers_data() -> Path:
    """The peers' deterministic Tatoeba split and joint 8k SentencePiece pieces (made once)."""
    out = CACHE / "peers-data"
    if not (out / "stats.json").exists():
        tsv = SHARED_DATA / "tatoeba-eng-fra" / "eng-fra.train.tsv"
        if not tsv.exists() or not (PEERS / "prepare_data.py").exists():
            sys.exit(f"benchmark needs {tsv} and {PEERS}/prepare_data.py")
        print(f"preparing peer data in {out} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(PEERS / "prepare_data.py"), str(tsv), str(out)], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    return out


def vocab(data: Path) -> dict[str, int]:
    itos = SPECIALS + [
        w for w in (data / "vocab.txt").read_text(encoding="utf-8").split("\n") if w and w not in SPECIALS
    ]
    return {w: i for i, w in enumerate(itos)}


def read_ids(path: Path, stoi: dict[str, int]) -> list[list[int]]:
    return [[stoi.get(w, 3) for w in line.split()] for line in path.read_text(encoding="utf-8").splitlines()]


def run_json(cmd: list[str], timeout: int = 3600) -> dict:
    """Run a command that prints one JSON object as its last stdout line."""
    env = {
        **os.environ,
        "OMP_NUM_THREADS": str(THREADS),
        "MKL_NUM_THREADS": str(THREADS),
        "PYTHONWARNINGS": "ignore",
    }
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def tree_provenance(tree: Path) -> dict:
    """The commit a checkout is at, and the files it has changed since (if any)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True).stdout

    dirty = [line[3:] for line in git("status", "--porcelain").splitlines() if line]  # "XY path"
    return {"commit": git("rev-parse", "HEAD").strip(), "changed_files": dirty}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    import platform

    import torch

    return {
        "torch": torch.__version__,
        "threads": THREADS,
        "cpu_count": os.cpu_count(),
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }
