"""Thought-vector analysis speed: embedding sentences/s, and PCA / UMAP seconds with peak memory.

Embedding: randomly initialised models (weights do not change the speed) of the default size
(2 layers x 512) and the paper's (4 layers x 1000, "8000 real numbers"), grammar sentences,
state hc of all layers. Projection: structured vectors (clusters on a 64-dim subspace plus
noise) of n = 1k, 10k, 50k and d = 512, 1000 and 8000 (= 4 x 1000 x 2): PCA and UMAP
(PCA to 50 first) as core.analysis.projection runs them, with the faithfulness score timed
apart. The 50k UMAP is slow: it runs once, at d = 8000 (after the PCA to 50, d hardly matters).
Bars (issue): 10,000 x 1,000 on 2 cores, PCA < 2 s, UMAP < 60 s; UMAP identical for one seed.

    python benchmarks/projection_speed.py [--sizes 1000,10000,50000] [--dims 512,1000,8000]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import THREADS, machine, peak_rss_mb

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(var, str(THREADS))  # before numpy/numba start their thread pools

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def structured(n: int, d: int, seed: int = 0) -> np.ndarray:
    """(n, d) float32: 50 clusters on a random 64-dim subspace, plus isotropic noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(50, 64)).astype(np.float32) * 3
    latent = centres[rng.integers(0, 50, n)] + rng.standard_normal((n, 64), dtype=np.float32)
    basis = rng.standard_normal((64, d), dtype=np.float32) / 8
    return latent @ basis + 0.1 * rng.standard_normal((n, d), dtype=np.float32)


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - start, 3)


def embedding_speed(n_sentences: int, device: str) -> list[dict]:
    import torch

    from core.config.model import ModelConfig
    from core.corpus.grammar import generate_corpus
    from core.model import Seq2Seq
    from core.run.loaded import LoadedRun
    from core.tokenizer import WordTokenizer
    from core.vectors import encode

    torch.set_num_threads(THREADS)
    pairs = generate_corpus(max(2000, n_sentences * 2), seed=0).train[:n_sentences]
    src = WordTokenizer.train([s for s, _ in pairs], 8000)
    tgt = WordTokenizer.train([t for _, t in pairs], 8000)
    sentences = [s for s, _ in pairs]
    out = []
    for name, layers, hidden, emb in [("default 2x512", 2, 512, 256), ("paper 4x1000", 4, 1000, 1000)]:
        torch.manual_seed(0)
        config = ModelConfig(src.vocab_size, tgt.vocab_size, emb_dim=emb, hidden=hidden, layers=layers)
        dev = torch.device(device)
        run = LoadedRun(Path("."), {}, config, src, tgt, Seq2Seq(config).to(dev).eval(), dev, 0)
        encode(run, sentences[:64])  # warm-up
        vectors, seconds = timed(lambda run=run: encode(run, sentences))
        out.append({"model": name, "dim": vectors.shape[1], "sentences": len(sentences),
                    "mean_words": round(float(np.mean([len(s.split()) for s in sentences])), 2),
                    "seconds": seconds, "sentences_per_s": round(len(sentences) / seconds, 1)})  # fmt: skip
    return out


def reference(X: np.ndarray, ours: dict) -> dict:
    """The libraries called directly in the same run, on the same vectors: scikit-learn PCA
    with its default solver and umap-learn on the full vectors (no PCA to 50 first). PCA takes
    well under a second, so both PCAs are timed here, interleaved, best of 3."""
    import umap
    from sklearn.decomposition import PCA

    from core.analysis.geometry import knn_preservation
    from core.analysis.projection import PCAProjector

    ours_pca, ref_pca = [], []
    for _ in range(3):
        ours_pca.append(timed(lambda: PCAProjector(random_state=0).fit_transform(X))[1])
        ref_pca.append(timed(lambda: PCA(n_components=2, random_state=0).fit_transform(X))[1])
    print(f"reference umap n={len(X)} d={X.shape[1]} (no PCA first) ...", file=sys.stderr)
    coords, umap_s = timed(lambda: umap.UMAP(random_state=0).fit_transform(X))
    return {"n": len(X), "d": X.shape[1], "pca_s": min(ours_pca), "sklearn_pca_s": min(ref_pca),
            "umap_s": ours.get("umap_s"), "umap_learn_s": umap_s,
            "umap_learn_faithfulness": round(knn_preservation(X, coords), 3),
            "pca_speedup": round(min(ref_pca) / min(ours_pca), 2),
            "umap_speedup": round(umap_s / ours["umap_s"], 2) if "umap_s" in ours else None}  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1000,10000,50000")
    p.add_argument("--dims", default="512,1000,8000")
    p.add_argument("--embed-sentences", type=int, default=2000)
    p.add_argument("--device", default="cpu")
    p.add_argument("--umap-max-n", type=int, default=10**9, help="skip UMAP above this many points")
    args = p.parse_args()
    sizes, dims = [int(x) for x in args.sizes.split(",")], [int(x) for x in args.dims.split(",")]

    from core.analysis.geometry import knn_preservation
    from core.analysis.projection import PCAProjector, UMAPProjector

    report = {"benchmark": "projection_speed", "machine": machine(), "load_avg_start": os.getloadavg(),
              "embedding": [], "projection": []}  # fmt: skip
    print("embedding ...", file=sys.stderr)
    report["embedding"] = embedding_speed(args.embed_sentences, args.device)

    # numba compiles UMAP's kernels on first use (and pynndescent's above 4096 points): measured
    # once, apart from the timings
    _, report["umap_jit_warmup_s"] = timed(
        lambda: [
            UMAPProjector(random_state=0).fit(structured(n, 64)).transform(structured(10, 64))
            for n in (500, 5000)
        ]
    )
    first = structured(1000, 1000, seed=1)
    a, b = (UMAPProjector(random_state=0).fit_transform(first) for _ in range(2))
    report["umap_same_seed_identical"] = bool(np.array_equal(a, b))

    for n in sizes:
        for d in dims:
            X = structured(n, d)
            row = {"n": n, "d": d}
            coords, row["pca_s"] = timed(lambda X=X: PCAProjector(random_state=0).fit_transform(X))
            row["pca_faithfulness"], row["faithfulness_s"] = timed(
                lambda X=X, c=coords: knn_preservation(X, c)
            )
            if n <= min(10_000, args.umap_max_n) or (n <= args.umap_max_n and d == max(dims)):  # 50k once
                print(f"umap n={n} d={d} ...", file=sys.stderr)
                coords, row["umap_s"] = timed(lambda X=X: UMAPProjector(random_state=0).fit_transform(X))
                row["umap_faithfulness"] = round(knn_preservation(X, coords), 3)
            row["pca_faithfulness"] = round(row["pca_faithfulness"], 3)
            row["peak_rss_mb"] = round(peak_rss_mb(), 1)
            report["projection"].append(row)
            print(json.dumps(row), file=sys.stderr)
            del X
    bar = next((r for r in report["projection"] if r["n"] == 10_000 and r["d"] == 1000), None)
    if bar:
        report["reference"] = reference(structured(10_000, 1000), bar)
        report["bars"] = {"pca_10k_x_1000_under_2s": bar["pca_s"] < 2,
                          "umap_10k_x_1000_under_60s": bar.get("umap_s", 1e9) < 60}  # fmt: skip
    report["peak_rss_mb"] = round(peak_rss_mb(), 1)
    report["load_avg_end"] = os.getloadavg()  # other jobs on shared cores inflate the timings
    print(json.dumps(report))


if __name__ == "__main__":
    main()
