"""Training throughput: target tokens/s and peak memory, this project vs the plain-PyTorch
reference (../shared/peers/plain_torch_ref.py), in one run, on the same data and config.

Config (the peers' table): Tatoeba En-Fr, joint SentencePiece 8k, emb 256, hidden 512,
2 layers, dropout 0.2, Adam 1e-3, clip 5, batches of 64 sentences, 250 steps; tokens/s over
steps 51-250. Prints one JSON object.

    python benchmarks/train_throughput.py [--repeats 2] [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

from benchmarks.common import PEERS, THREADS, machine, peak_rss_mb, peers_data, read_ids, run_json, vocab

STEPS, WARMUP = 250, 50


def ours(device: str) -> dict:
    """One measurement of core's Trainer (run in a fresh process by main)."""
    import torch

    from core.batching import EncodedPairs
    from core.config.model import ModelConfig
    from core.config.training import TrainConfig
    from core.model import Seq2Seq
    from core.training.session import build_optimizer
    from core.training.trainer import Callback, Position, Trainer

    torch.set_num_threads(THREADS)
    data = peers_data()
    stoi = vocab(data)
    src, tgt = read_ids(data / "sp.train.en", stoi), read_ids(data / "sp.train.fr", stoi)
    pairs = EncodedPairs(
        *map(list, zip(*[(s, t) for s, t in zip(src, tgt) if 0 < len(s) <= 50 and 0 < len(t) <= 50]))
    )
    torch.manual_seed(1)
    dev = torch.device(device)
    model = Seq2Seq(ModelConfig(len(stoi), len(stoi), emb_dim=256, hidden=512, layers=2, dropout=0.2,
                                reverse_source=False)).to(dev)  # fmt: skip
    config = TrainConfig(lr=1e-3, batch_size=64, steps=STEPS, clip_norm=5.0, log_every=50, eval_every=10**9,
                         checkpoint_every=10**9, seed=1)  # fmt: skip

    class Clock(Callback):
        def __init__(self):
            self.start, self.tokens, self.loss = None, 0, None

        def on_step(self, step, total, loss):
            if step == WARMUP:
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                self.start = time.perf_counter()
            self.loss = loss

        def on_train_log(self, record):
            pass

    clock = Clock()
    trainer = Trainer(model, build_optimizer(model, config), pairs, config, STEPS, dev, callbacks=[clock])
    batches = trainer.epoch_batches(0)  # 250 steps stay inside the first epoch (about 780 batches)
    tokens = sum(
        len(pairs.tgt[j]) + 1 for i in range(WARMUP, STEPS) for j in batches[i]
    )  # target pieces + EOS
    trainer.run(Position())
    if dev.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - clock.start
    return {"impl": "seq2seq-explorer", "tgt_tok_s": round(tokens / seconds, 1), "seconds": round(seconds, 3),
            "final_loss": round(clock.loss, 4), "peak_rss_mb": round(peak_rss_mb(), 1),
            "peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20, 1) if dev.type == "cuda" else None}  # fmt: skip


def reference() -> dict:
    data = peers_data()
    return run_json([sys.executable, str(PEERS / "plain_torch_ref.py"), "train", "--src", str(data / "sp.train.en"),
                     "--tgt", str(data / "sp.train.fr"), "--vocab", str(data / "vocab.txt"), "--steps", str(STEPS),
                     "--warmup", str(WARMUP), "--threads", str(THREADS), "--seed", "1"])  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--device", default="cpu")
    p.add_argument(
        "--peers", action="store_true", help="also train OpenNMT-py and JoeyNMT (benchmarks/peers.py)"
    )
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        print(json.dumps(ours(args.device)))
        return
    peers_data()
    runs = {"ours": [], "reference": []}
    for _ in range(args.repeats):  # alternate, so drift on a shared machine hits both alike
        runs["ours"].append(run_json([sys.executable, __file__, "--worker", "--device", args.device]))
        runs["reference"].append(reference())
    med = {k: statistics.median(r["tgt_tok_s"] for r in v) for k, v in runs.items()}
    if args.peers:
        from benchmarks.peers import run_peers

        for name, figures in run_peers(train=True, decode=False).items():
            med[name] = figures["tgt_tok_s"]
    print(json.dumps({
        "benchmark": "train_throughput",
        "config": {"data": "tatoeba en-fr (peers split)", "vocab": "joint sentencepiece 8k", "emb": 256, "hidden": 512,
                   "layers": 2, "batch_sentences": 64, "steps": f"{WARMUP + 1}-{STEPS}", "device": args.device},
        "machine": machine(),
        "tgt_tok_s": med,
        "ratio_vs_reference": round(med["ours"] / med["reference"], 3),
        "ratio_vs_peers": {k: round(med["ours"] / v, 3) for k, v in med.items() if k not in ("ours", "reference") and v},
        "peak_rss_mb": {k: max(r["peak_rss_mb"] for r in v) for k, v in runs.items()},
        "runs": runs,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
