"""Learning speed on the built-in corpus: the `fast` preset, reversed and forward source, on
this machine, within a wall-clock budget (default 5 minutes each, evaluation included).
Records dev BLEU (greedy, 200 dev sentences) and perplexity against time and step, and the
time each run first reached BLEU 60. Prints one JSON object.

    python benchmarks/grammar_learning.py [--budget 300] [--threads 2]
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

TARGET_BLEU = 60.0


def learn(reverse: bool, budget: float, folder: Path) -> dict:
    from core.config.model import ModelConfig
    from core.config.tokenizer import TokenizerConfig, default_kind
    from core.config.training import TrainConfig
    from core.training.presets import get_preset
    from core.training.session import RunRequest, train_run
    from core.training.trainer import Callback

    preset = get_preset("fast")
    start = time.perf_counter()
    curve = []

    class Watch(Callback):
        trainer = None

        def on_eval(self, record):
            curve.append({"seconds": round(time.perf_counter() - start, 1), "step": record["step"],
                          "bleu": round(record["bleu"], 2), "ppl": round(record["ppl"], 3)})  # fmt: skip

        def on_step(self, step, total, loss):
            if time.perf_counter() - start > budget:
                self.trainer.request_stop()

    watch = Watch()
    request = RunRequest(data="grammar", out=folder / ("rev" if reverse else "fwd"),
                         model=ModelConfig(**preset.model, reverse_source=reverse), train=TrainConfig(**preset.train),
                         tokenizer=TokenizerConfig(kind=default_kind(True), vocab_size=preset.vocab_size), preset="fast")  # fmt: skip
    train_run(request, callbacks=[watch], on_trainer=lambda t: setattr(watch, "trainer", t))
    reached = next((p for p in curve if p["bleu"] >= TARGET_BLEU), None)
    return {
        "reverse_source": reverse,
        "seconds_to_bleu_60": reached["seconds"] if reached else None,
        "step_at_bleu_60": reached["step"] if reached else None,
        "final": curve[-1] if curve else None,
        "curve": curve,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--budget", type=float, default=300.0, help="seconds per run (default 300)")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [learn(reverse, args.budget, Path(tmp)) for reverse in (True, False)]
    print(json.dumps({"benchmark": "grammar_learning", "preset": "fast", "budget_s": args.budget,
                      "machine": {**machine(), "threads": args.threads}, "runs": runs}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
