"""What scoring probe suites at every dev evaluation costs: the `fast` preset on the built-in
corpus, with the default suites (core.analysis.suites.DEFAULT_PROBE_SUITES), timed in the same run as
the training it rides on. Prints one JSON object: seconds training, seconds scoring probes, share.

    python benchmarks/probe_cost.py [--steps 1000] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import machine


def measure(steps: int) -> dict:
    from core.analysis.suites import DEFAULT_PROBE_SUITES
    from core.config.model import ModelConfig
    from core.config.tokenizer import TokenizerConfig, default_kind
    from core.config.training import TrainConfig
    from core.training import probe_scorer
    from core.training.presets import get_preset
    from core.training.session import RunRequest, train_run

    spent = []
    scores = probe_scorer.ProbeScorer.scores

    def timed(self, step):
        start = time.perf_counter()
        try:
            return scores(self, step)
        finally:
            spent.append(time.perf_counter() - start)

    probe_scorer.ProbeScorer.scores = timed  # this process only: the benchmark's stopwatch
    preset = get_preset("fast")
    with tempfile.TemporaryDirectory() as tmp:
        request = RunRequest(data="grammar", out=Path(tmp) / "run", model=ModelConfig(**preset.model),
                             train=TrainConfig(**{**preset.train, "steps": steps}),
                             tokenizer=TokenizerConfig(kind=default_kind(True)), preset="fast",
                             probe_suites=DEFAULT_PROBE_SUITES)  # fmt: skip
        start = time.perf_counter()
        train_run(request)
        total = time.perf_counter() - start
    return {
        "steps": steps,
        "eval_every": preset.train["eval_every"],
        "suites": list(DEFAULT_PROBE_SUITES),
        "evaluations": len(spent),
        "seconds_total": round(total, 2),
        "seconds_probes": round(sum(spent), 2),
        "seconds_per_evaluation": round(sum(spent) / max(1, len(spent)), 3),
        "probe_share": round(sum(spent) / total, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    print(json.dumps({"benchmark": "probe_cost", "machine": machine(), **measure(args.steps)}))


if __name__ == "__main__":
    main()
