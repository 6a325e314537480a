"""`s2s trajectories`: the encoder's path as it reads each sentence, as 2-D/3-D coordinates (CSV).

For each run, the top-layer state after every source token (in the order the encoder reads it:
backwards for a reversed-source run) is projected with one projector fitted on all the paths of
that run; with a second --run, its map is aligned onto the first's by a Procrustes fit of the
paths' end points, so a reversed and a forward model can be drawn over each other. The CSV has
one row per token: run, reverse_source, sentence, position, token, x, y(, z). Prints a JSON
summary (explained variance, faithfulness, alignment disparity per run).

    s2s trajectories --run runs/rev --run runs/fwd --sentence "John admires Mary" \
        --sentence "Mary admires John" --sentence "Mary is admired by John" --output paths.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from core import atomic
from core.cli.flags import add_device, add_run
from core.cli.io import check_seed, print_json, read_sentences
from core.errors import UserError
from core.vector_choice import STATES


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(
        name,
        help="the encoder's path through each sentence, projected (CSV)",
        description=__doc__,
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter,
    )
    add_run(p, "a run folder (repeat for a second run)", repeat=True)
    p.add_argument("--sentence", action="append", default=[], help="a sentence to trace (repeatable)")
    p.add_argument("--input", help="a file of sentences to trace, one a line")
    p.add_argument("--output", required=True, help="the CSV file to write")
    p.add_argument("--method", default="pca", choices=["pca", "umap", "tsne"])
    p.add_argument("--state", default="h", choices=STATES, help="the top layer's h (default), c or both")
    p.add_argument("--components", type=int, default=2, choices=[2, 3])
    p.add_argument("--seed", type=int, default=0)
    add_device(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from core.analysis.trajectories import trajectory_maps
    from core.run.loaded import load_run

    if not args.output.endswith(".csv"):
        raise UserError(f"--output {args.output}: give a file name ending in .csv")
    sentences = list(args.sentence) + (read_sentences(args.input) if args.input else [])
    if not sentences:
        raise UserError("no sentences: give --sentence (repeatable) or --input FILE")
    runs = [load_run(path, args.device) for path in args.run]
    maps = trajectory_maps(runs, sentences, args.method, check_seed(args.seed), args.state, args.components)
    axes = ["x", "y", "z"][: args.components]

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["run", "reverse_source", "sentence", "position", "token", *axes])
            for path in maps:
                for position, (token, point) in enumerate(zip(path.tokens, path.coords.tolist())):
                    coords = (f"{v:.6g}" for v in point)
                    out.writerow([path.run, path.reverse_source, path.sentence, position, token, *coords])

    atomic.write_with(Path(args.output), write)
    rows = sum(len(path.tokens) for path in maps)
    print(f"{len(sentences)} sentences x {len(runs)} runs, {rows} points -> {args.output}", file=sys.stderr)
    summary = {}
    for path in maps:
        summary.setdefault(
            path.run,
            {
                "reverse_source": path.reverse_source,
                "explained_variance": path.explained_variance,
                "faithfulness": path.faithfulness,
                "alignment_disparity": path.alignment_disparity,
            },
        )
    print_json(
        {
            "method": args.method,
            "state": args.state,
            "sentences": len(sentences),
            "runs": summary,
            "output": args.output,
        }
    )
    return 0
