"""`s2s surgery`: decode from edited thought vectors (possible because there is no attention).

  interpolate  decode K evenly spaced states from one sentence's (h, c) to another's
  offset       add the mean FROM -> TO difference of a suite (active -> passive by default) to a
               sentence's state and decode: does the output turn passive?
  decode       decode full states from a .npy (n, 2*L*H), e.g. `s2s embed --state hc --layers all`

Each prints JSON.
"""

from __future__ import annotations

from core.cli.flags import add_device, add_run, add_search, search_config
from core.cli.io import print_json


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="decode from edited thought vectors (JSON)", description=__doc__)
    what = p.add_subparsers(dest="what", required=True, metavar="interpolate|offset|decode")

    i = what.add_parser("interpolate", help="decode points between two sentences' states")
    i.add_argument("--source", required=True, help="the sentence at alpha 0")
    i.add_argument("--target", required=True, help="the sentence at alpha 1")
    i.add_argument("--steps", type=int, default=5, help="points from source to target, ends included")
    i.set_defaults(handler=run_interpolate)

    o = what.add_parser("offset", help="add a suite's mean column difference to a sentence's state")
    o.add_argument("--sentence", required=True)
    o.add_argument("--suite", default="builtin:voice", help="a suite TSV file or builtin:NAME")
    o.add_argument("--from", dest="from_column", default="active", help="column the offset starts from")
    o.add_argument("--to", dest="to_column", default="passive", help="column the offset leads to")
    o.add_argument("--scale", type=float, default=1.0, help="multiple of the mean difference to add")
    o.set_defaults(handler=run_offset)

    d = what.add_parser("decode", help="decode full (h, c) state vectors from a .npy file")
    d.add_argument("--input", required=True, help="a .npy array (n, 2*L*H)")
    d.set_defaults(handler=run_decode)

    for parser in (i, o, d):
        add_run(parser)
        add_search(parser, ("beam",))
        parser.add_argument("--max-len", type=int, default=50, help="longest output in tokens")
        add_device(parser)


def run_interpolate(args) -> int:
    from core.analysis.surgery import interpolate
    from core.run.loaded import load_run

    beam = search_config(args).beam  # checked before the model is loaded
    loaded = load_run(args.run, args.device)
    path = interpolate(loaded, args.source, args.target, args.steps, beam, args.max_len)
    print_json([point.to_dict() for point in path])
    return 0


def run_offset(args) -> int:
    from core.analysis.suites import load_suite
    from core.analysis.surgery import offset_and_decode
    from core.run.loaded import load_run

    beam = search_config(args).beam
    table = load_suite(args.suite)
    table.column(args.from_column), table.column(args.to_column)  # a bad column fails before loading
    loaded = load_run(args.run, args.device)
    columns = args.from_column, args.to_column
    edit = offset_and_decode(loaded, table, args.sentence, args.scale, *columns, beam, args.max_len)
    settings = {"suite": table.name, "from": args.from_column, "to": args.to_column, "scale": args.scale}
    print_json({**settings, **edit.to_dict()})
    return 0


def run_decode(args) -> int:
    from core.analysis.surgery import decode_vectors
    from core.cli.project import load_vectors
    from core.run.loaded import load_run

    beam = search_config(args).beam
    vectors = load_vectors(args.input, "--input")
    loaded = load_run(args.run, args.device)
    print_json(decode_vectors(loaded, vectors, beam, args.max_len))
    return 0
