"""The `s2s` command line. Each subcommand lives in its own module with `add_parser` and `run`.

User mistakes (`UserError`) end with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from core.errors import UserError

# subcommand -> module under core.cli (imported lazily: `s2s --help` must not load torch)
COMMANDS = {
    "corpus": "corpus",
    "train": "train",
    "translate": "translate",
    "eval": "evaluate",
    "embed": "embed",
    "probe": "probe",
    "project": "project",
    "surgery": "surgery",
    "neighbours": "neighbours",
    "trajectories": "trajectories",
    "study": "study",
    "export": "export",
    "app": "app",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="s2s",
        description="Seq2Seq Explorer: train LSTM encoder-decoders and study their thought vectors.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        importlib.import_module(f"core.cli.{module}").add_parser(sub, name)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as err:
        print(f"s2s {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"s2s {args.command}: interrupted", file=sys.stderr)
        return 130
