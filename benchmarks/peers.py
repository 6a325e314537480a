"""Peer toolkits (OpenNMT-py, JoeyNMT) measured by ../shared/peers/run_bench.sh, so that their
figures come from the same run as ours. Needs their virtual environments first:
`PEERS=/tmp/peers bash ../shared/peers/setup_peers.sh` (pip only, a few minutes)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path

from benchmarks.common import CACHE, PEERS

VENVS = Path(os.environ.get("S2S_PEERS_VENVS", "/tmp/peers"))
IMPLS = ("onmt", "joey")


def available() -> bool:
    return all((VENVS / name / "bin" / "python").exists() for name in ("tools", *IMPLS))


def run_peers(train: bool, decode: bool) -> dict:
    """Median figures per peer: {"onmt": {"tgt_tok_s", "greedy_sent_s", "beam5_sent_s", ...}, ...}."""
    if not available():
        raise SystemExit(
            f"peer toolkits not installed in {VENVS}: run PEERS={VENVS} bash {PEERS}/setup_peers.sh"
        )
    runs = CACHE / "peer-runs"
    env = {**os.environ, "PEERS": str(VENVS), "RUNS": str(runs), "ONLY": " ".join(IMPLS),
           "TRAIN_REPS": "1" if train else "", "DECODE_REPS": "1" if decode else ""}  # fmt: skip
    subprocess.run(["bash", str(PEERS / "run_bench.sh")], env=env, check=True, capture_output=True, text=True)
    results = json.loads((runs / "results.json").read_text())
    out = {}
    for impl in IMPLS:
        r = results[impl]

        def med(part, key, r=r):
            values = [x[key] for x in r[part] if key in x]
            return round(statistics.median(values), 2) if values else None

        out[impl] = {"tgt_tok_s": med("train", "tgt_tok_s"), "train_rss_mb": med("train", "rss_mb"),
                     "greedy_sent_s": med("beam1", "sent_s"), "beam5_sent_s": med("beam5", "sent_s"),
                     "greedy_hyp_len": med("beam1", "hyp_len"), "beam5_hyp_len": med("beam5", "hyp_len")}  # fmt: skip
    return out
