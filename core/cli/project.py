"""`s2s project`: thought vectors (.npy, from `s2s embed`) -> 2-D or 3-D map coordinates (CSV).

The CSV has columns x,y(,z),sentence (sentence empty without --sentences). With --basis, the
axes are fitted on the basis vectors and the input is placed in them (PCA and UMAP), so two
sets share one map. Prints a JSON summary: method, n, explained_variance (PCA), faithfulness
(the share of k-nearest neighbours the map keeps, k = 10 or fewer for a handful of
points: a 2-D picture can lie).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

from core import atomic
from core.cli.io import check_seed, print_json, read_sentences
from core.errors import UserError


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="project vectors to 2-D/3-D map coordinates (CSV)", description=__doc__)
    p.add_argument("--input", required=True, help="a .npy array (n, d), e.g. from s2s embed")
    p.add_argument("--method", default="pca", choices=["pca", "umap", "tsne"])
    p.add_argument("--output", required=True, help="the CSV file to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sentences", help="the n sentences of the vectors, one a line (the same order)")
    p.add_argument("--components", type=int, default=2, choices=[2, 3])
    p.add_argument("--basis", help="a .npy array (m, d) to fit the axes on")
    p.set_defaults(handler=run)


def load_vectors(path: str, what: str) -> np.ndarray:
    p = Path(path)
    if not p.exists():
        raise UserError(f"{what} {p} does not exist")
    if not p.is_file():
        raise UserError(f"{what} {p} is not a regular file")
    try:
        array = np.load(p, allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise UserError(f"{what} {p} is not a .npy array of numbers: write one with s2s embed") from err
    if array.ndim != 2 or not np.issubdtype(array.dtype, np.number):
        raise UserError(f"{what} {p} must hold numbers of shape (n, d), not {array.dtype} {array.shape}")
    return array.astype(np.float32)


def run(args) -> int:
    from core.analysis.projection import project

    if not args.output.endswith(".csv"):
        raise UserError(f"--output {args.output}: give a file name ending in .csv")
    vectors = load_vectors(args.input, "--input")
    basis = load_vectors(args.basis, "--basis") if args.basis else None
    sentences = [""] * len(vectors)
    if args.sentences:
        sentences = read_sentences(args.sentences)
        if len(sentences) != len(vectors):
            raise UserError(
                f"--sentences has {len(sentences)} lines but --input has {len(vectors)} vectors: "
                f"give the file the vectors were embedded from"
            )
    projection = project(vectors, args.method, args.components, check_seed(args.seed), basis=basis)
    axes = ["x", "y", "z"][: args.components]

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow([*axes, "sentence"])
            for point, sentence in zip(projection.coords.tolist(), sentences):
                out.writerow([*(f"{v:.6g}" for v in point), sentence])

    atomic.write_with(Path(args.output), write)
    print(f"{len(vectors)} points -> {args.output}", file=sys.stderr)
    print_json(
        {
            "method": args.method,
            "n": len(vectors),
            "components": args.components,
            "explained_variance": projection.explained_variance,
            "faithfulness": projection.faithfulness,
            "faithfulness_k": projection.k,
            "output": args.output,
        }
    )
    return 0
