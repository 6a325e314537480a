"""Decoding speed: sentences/s for greedy and beam 5 on the 1,000 Tatoeba dev sentences of
the peers' split, batched (64 sentences) and one sentence at a time, with peak memory; and the
plain-PyTorch reference (../shared/peers/plain_torch_ref.py) in the same run.

Both models are trained for 250 steps on the same data and config first (cached in
benchmarks/out/), as in the peers' table. Output lengths differ between models, so the JSON
also gives the mean hypothesis length and output tokens/s. Prints one JSON object.

    python benchmarks/decode_speed.py [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    CACHE,
    PEERS,
    THREADS,
    machine,
    peak_rss_mb,
    peers_data,
    read_ids,
    run_json,
    vocab,
)

STEPS, MAX_LEN, BATCH = 250, 50, 64


def _model(stoi, device):
    import torch

    from core.config.model import ModelConfig
    from core.model import Seq2Seq

    torch.manual_seed(1)
    config = ModelConfig(
        len(stoi), len(stoi), emb_dim=256, hidden=512, layers=2, dropout=0.2, reverse_source=False
    )
    return Seq2Seq(config).to(device)


def ours(device_name: str) -> dict:
    import torch

    from core.batching import EncodedPairs, pad, sequential_batches
    from core.config.search import SearchConfig
    from core.config.training import TrainConfig
    from core.run.weights import load_weights, save_weights
    from core.search import beam_search, greedy_search
    from core.training.session import build_optimizer
    from core.training.trainer import Position, Trainer

    torch.set_num_threads(THREADS)
    device = torch.device(device_name)
    data = peers_data()
    stoi = vocab(data)
    model = _model(stoi, device)
    weights = CACHE / "decode-ours.safetensors"
    if not weights.exists():
        src, tgt = read_ids(data / "sp.train.en", stoi), read_ids(data / "sp.train.fr", stoi)
        keep = [(s, t) for s, t in zip(src, tgt) if 0 < len(s) <= MAX_LEN and 0 < len(t) <= MAX_LEN]
        pairs = EncodedPairs([s for s, _ in keep], [t for _, t in keep])
        config = TrainConfig(
            lr=1e-3, batch_size=64, steps=STEPS, eval_every=10**9, checkpoint_every=10**9, seed=1
        )
        Trainer(model, build_optimizer(model, config), pairs, config, STEPS, device).run(Position())
        save_weights(model, weights, STEPS)
    load_weights(model, weights)
    model.eval()
    dev = [s[:MAX_LEN] or [3] for s in read_ids(data / "sp.dev.en", stoi)]
    # the same limit as the reference: at most 50 output pieces, whatever the source length
    limit = SearchConfig(max_len_a=0.0, max_len_b=MAX_LEN)

    def run(beam: int, batch_size: int) -> dict:
        config = SearchConfig(beam=beam, max_len_a=limit.max_len_a, max_len_b=limit.max_len_b)
        out_tokens = 0
        start = time.perf_counter()
        for index in sequential_batches([len(s) for s in dev], batch_size):
            src = pad([dev[i] for i in index]).to(device)
            src_len = torch.tensor([len(dev[i]) for i in index])
            if beam == 1:
                hyps = greedy_search(model, src, src_len, config)
            else:
                hyps = [nbest[0] for nbest in beam_search(model, src, src_len, config)]
            out_tokens += sum(len(h.tokens) for h in hyps)
        if device.type == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
        return {"sent_s": round(len(dev) / seconds, 2), "seconds": round(seconds, 3),
                "hyp_tok_s": round(out_tokens / seconds, 1), "avg_hyp_len": round(out_tokens / len(dev), 2)}  # fmt: skip

    result = {"greedy": run(1, BATCH), "beam5": run(5, BATCH), "beam5_one_at_a_time": run(5, 1)}
    result["beam5_batched_vs_one_at_a_time"] = round(
        result["beam5"]["sent_s"] / result["beam5_one_at_a_time"]["sent_s"], 2
    )
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    if device.type == "cuda":
        result["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return result


def reference() -> dict:
    data = peers_data()
    ckpt = CACHE / "decode-ref.pt"
    if not ckpt.exists():
        run_json([sys.executable, str(PEERS / "plain_torch_ref.py"), "train", "--src", str(data / "sp.train.en"),
                  "--tgt", str(data / "sp.train.fr"), "--vocab", str(data / "vocab.txt"), "--steps", str(STEPS),
                  "--threads", str(THREADS), "--seed", "1", "--save", str(ckpt)])  # fmt: skip
    out = {}
    for name, beam in (("greedy", 1), ("beam5", 5)):
        r = run_json([sys.executable, str(PEERS / "plain_torch_ref.py"), "translate", "--ckpt", str(ckpt), "--src",
                      str(data / "sp.dev.en"), "--beam", str(beam), "--batch-size", str(BATCH), "--max-len",
                      str(MAX_LEN), "--threads", str(THREADS)])  # fmt: skip
        out[name] = {k: r[k] for k in ("sent_s", "seconds", "hyp_tok_s", "avg_hyp_len", "peak_rss_mb")}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cpu")
    p.add_argument("--peers", action="store_true", help="also OpenNMT-py and JoeyNMT (trains them first)")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        print(json.dumps(ours(args.device)))
        return
    peers_data()
    mine = run_json([sys.executable, __file__, "--worker", "--device", args.device])
    ref = reference()
    peers = {}
    if args.peers:
        from benchmarks.peers import run_peers

        peers = run_peers(train=True, decode=True)
    print(json.dumps({
        "benchmark": "decode_speed",
        "config": {"data": "tatoeba en-fr dev (1,000 sentences, peers split)", "batch_sentences": BATCH,
                   "max_output_pieces": MAX_LEN, "model": "emb 256, hidden 512, 2 layers, 250 training steps",
                   "device": args.device},
        "machine": machine(),
        "ours": mine,
        "reference": ref,
        "ratio_vs_reference": {k: round(mine[k]["sent_s"] / ref[k]["sent_s"], 3) for k in ("greedy", "beam5")},
        "peers": peers,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
