"""`s2s embed`: sentences (one a line) -> thought vectors saved as a float32 .npy (n, d).

A sentence longer than the model reads (1,000 tokens) is cut there, with a note on stderr; the
sentences are encoded in batches, so the memory needed does not grow with their number."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from core import atomic
from core.cli.flags import add_device, add_run, add_vector
from core.cli.io import note_cut_sources, read_sentences
from core.errors import UserError


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="encode sentences into thought vectors (.npy)", description=__doc__)
    add_run(p)
    p.add_argument("--input", required=True, help="one sentence a line ('-' for stdin)")
    p.add_argument("--output", required=True, help="the .npy file to write")
    add_vector(p)
    add_device(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from core.run.loaded import load_run
    from core.vectors import encode

    if not args.output.endswith(".npy"):
        raise UserError(f"--output {args.output}: give a file name ending in .npy")
    loaded = load_run(args.run, args.device)
    sentences = read_sentences(args.input)
    if not sentences:
        raise UserError("no sentences to embed: the input is empty")
    note_cut_sources(loaded, sentences, "embed")
    vectors = encode(loaded, sentences, state=args.state, layers=args.layers)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:  # a file object: np.save would add ".npy" to a temp name
            np.save(f, vectors)

    atomic.write_with(Path(args.output), write)
    print(f"{vectors.shape[0]} vectors of dimension {vectors.shape[1]} -> {args.output}", file=sys.stderr)
    return 0
