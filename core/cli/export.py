"""`s2s export tensorboard`: runs (or a study's runs) as TensorBoard event files.

    s2s export tensorboard --run runs/fwd --run runs/rev --out tb
    s2s export tensorboard --study studies/reversal --out tb --probe-suite builtin:fronting
    tensorboard --logdir tb

Each run becomes DIR/NAME (NAME: the run folder's name; a study's runs are ARM-sSEED): its
train loss, dev perplexity and BLEU and probe margins against step, its hyperparameters, and its
thought vectors for a probe suite (default builtin:voice; every variant of every family, with the
family, variant and tags as metadata) or a file of sentences (--sentences) as an Embedding
Projector set. Everything is checked and encoded before the first file is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli.flags import add_device, add_probe_suites, add_run, add_vector
from core.errors import UserError

FORMATS = ("tensorboard",)


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="export runs to other tools (tensorboard)", description=__doc__)
    formats = p.add_subparsers(dest="format", required=True, metavar="FORMAT")
    tb = formats.add_parser(
        "tensorboard",
        help="TensorBoard event files and an Embedding Projector set",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run(tb, "a run folder to export (repeat: --run A --run B)", repeat=True, required=False)
    tb.add_argument("--study", help="export every run of this study folder (named ARM-sSEED)")
    tb.add_argument("--out", required=True, help="the TensorBoard log folder (tensorboard --logdir DIR)")
    vectors = tb.add_mutually_exclusive_group()
    add_probe_suites(
        vectors, "the projector's sentences: a suite TSV or builtin:NAME (default builtin:voice)", many=False
    )
    vectors.add_argument("--sentences", metavar="FILE", help="the projector's sentences: one a line")
    vectors.add_argument("--no-vectors", action="store_true", help="scalars and hyperparameters only")
    add_vector(tb)
    add_device(tb)
    tb.set_defaults(handler=run)


def chosen_runs(args) -> list[tuple[str, Path]]:
    """(name, folder) of every run asked for: --run's, then the study's (those with weights)."""
    from core.run.folder import resolve_run

    runs = [(Path(r).name, resolve_run(r)) for r in (args.run or [])]
    if args.study:
        from core.run.folder import WEIGHTS
        from core.study.layout import read_study, run_folder, run_name

        spec = read_study(args.study)
        runs += [
            (run_name(*key), run_folder(args.study, *key))
            for key in spec.runs()
            if (run_folder(args.study, *key) / WEIGHTS).is_file()
        ]
        if len(runs) == len(args.run or []):
            raise UserError(f"study {args.study} has no trained run yet: nothing to export")
    if not runs:
        raise UserError("give --run RUN... or --study STUDY: there is nothing to export")
    names = [name for name, _ in runs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UserError(f"two runs are named {twice[0]}: export them to different --out folders")
    return runs


def run(args) -> int:
    from core.analysis.suites import BUILTIN_PREFIX, STANDARD_SUITES, load_suite
    from core.cli.io import read_sentences
    from core.export.projector import ProjectorSet
    from core.export.tensorboard import check_destination, write_run
    from core.run.loaded import load_run
    from core.vectors import encode

    out = Path(args.out)
    runs = chosen_runs(args)
    folders = {name: check_destination(out, name) for name, _ in runs}
    projector = None
    if args.sentences:
        projector = ProjectorSet.from_sentences(Path(args.sentences).stem, read_sentences(args.sentences))
    elif not args.no_vectors:
        projector = ProjectorSet.from_suite(
            load_suite(args.probe_suite or BUILTIN_PREFIX + STANDARD_SUITES[0])
        )
    encoded = {}  # every run encoded before anything is written: a bad sentence is one line, no half export
    for name, folder in runs:
        if projector is not None:
            loaded = load_run(folder, args.device)
            try:
                vectors = encode(loaded, projector.sentences, args.state, args.layers, strict=True)
            except UserError as err:
                raise UserError(f"run {name}: {err}; choose --sentences or --no-vectors") from None
            encoded[name] = (vectors, loaded.step)
    for name, folder in runs:
        vectors, step = encoded.get(name, (None, 0))
        done = write_run(folder, folders[name], vectors, projector, step)
        shape = f", vectors {done.vectors[0]} x {done.vectors[1]}" if done.vectors else ""
        print(
            f"{name}: {done.scalars} points in {len(done.tags)} scalars, {done.hparams} hyperparameters"
            f"{shape} -> {done.folder}",
            file=sys.stderr,
        )
    print(f"tensorboard --logdir {out}", file=sys.stderr)
    return 0
