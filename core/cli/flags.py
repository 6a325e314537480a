"""The flags several subcommands share, each declared once.

- `add_run`, `add_device`, `add_threads` and `add_vector`: --run, --device, --threads, --state and
  --layers, one definition each.
- `add_option`: a declared option (core.options) as a flag. `s2s train` and `s2s study` build
  theirs from the model, tokenizer and training configs, `s2s probe` from ProbeSettings.
- `add_search` and `search_config`: --beam, --nbest, --length-penalty, --max-len-a and
  --max-len-b, from core.config.search.SearchConfig's declaration.
- `add_probe_suites`: --probe-suite (core.analysis.suites.PROBE_SUITE_FLAG) of `s2s train`,
  `s2s study` and `s2s export tensorboard` (one suite there).

A declared option's flag defaults to None ("not given"): the config's own default then applies
(or, for `s2s train`, the preset's), so every option has one default, in its declaration.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from core.analysis.suites import PROBE_SUITE_FLAG
from core.config.search import SearchConfig
from core.errors import UserError
from core.options import AT_LEAST_ONE, Option, options_of
from core.vector_choice import DEFAULT_LAYERS, DEFAULT_STATE, LAYERS_HELP, STATES

DEFAULT_DEVICE = "auto"  # core.device.pick_device: the GPU when there is one, else the CPU
SEARCH_OPTIONS = {o.name: o for o in options_of(SearchConfig, "search")}


def add_option(parser, opt: Option, show_default: bool = False) -> None:
    """One declared option as a flag (booleans get --x/--no-x); None when it is not given. With
    `show_default`, the help ends with the declared default (not for `s2s train`: a preset decides)."""
    help = f"{opt.spec.help} (default {opt.default})" if show_default else opt.spec.help
    kw = {"dest": opt.name, "default": None, "help": help}
    if opt.kind is bool:
        parser.add_argument(opt.flag, action=argparse.BooleanOptionalAction, **kw)
    elif opt.spec.choices is not None:
        parser.add_argument(opt.flag, choices=opt.spec.choices, **kw)
    else:
        parser.add_argument(opt.flag, type=opt.kind, **kw)


def given(args, options: Iterable[Option]) -> dict:
    """{name: value} of the options given on the command line (the others are left to the config)."""
    return {o.name: getattr(args, o.name) for o in options if getattr(args, o.name, None) is not None}


def add_probe_suites(parser, help: str, many: bool = True) -> None:
    """--probe-suite SUITE... (or, not `many`, one SUITE): probe suites, each a TSV file or builtin:NAME."""
    parser.add_argument(PROBE_SUITE_FLAG, nargs="+" if many else None, metavar="SUITE", help=help)


def add_search(parser, names: Iterable[str] = tuple(SEARCH_OPTIONS)) -> None:
    """The search flags named (default: all of them), from SearchConfig's declaration."""
    for name in names:
        add_option(parser, SEARCH_OPTIONS[name], show_default=True)


def search_config(args) -> SearchConfig:
    """The SearchConfig of the search flags given (it checks them, naming the flag)."""
    return SearchConfig(**given(args, SEARCH_OPTIONS.values()))


def add_run(parser, help: str = "the run folder", repeat: bool = False, required: bool = True) -> None:
    """--run (required unless told; with `repeat`, once per run: --run A --run B)."""
    parser.add_argument("--run", required=required, action="append" if repeat else "store", help=help)


def add_device(parser, what: str = "") -> None:
    """--device: auto (a GPU when there is one), cpu, cuda or cuda:N."""
    help = f"auto (a GPU when there is one) | cpu | cuda | cuda:N{what} (default {DEFAULT_DEVICE})"
    parser.add_argument("--device", default=DEFAULT_DEVICE, help=help)


def add_threads(parser, default: str = "all cores") -> None:
    """--threads: PyTorch's CPU threads (None: `default`, as the help says)."""
    parser.add_argument("--threads", type=int, help=f"CPU threads for PyTorch (default: {default})")


def add_vector(parser) -> None:
    """--state and --layers: which part of the encoder's final state is the thought vector."""
    parser.add_argument("--state", default=DEFAULT_STATE, choices=STATES, help="default hc, as in the paper")
    parser.add_argument("--layers", default=DEFAULT_LAYERS, help=LAYERS_HELP)


def check_threads(threads: int | None) -> int | None:
    if threads is not None and not AT_LEAST_ONE.contains(threads):
        raise UserError(f"--threads must be {AT_LEAST_ONE.describe()}, not {threads}")
    return threads
