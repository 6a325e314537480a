"""`s2s eval`: BLEU, chrF (with sacrebleu signatures), perplexity and BLEU by source length
(the paper's Figure 3 buckets) of a run on a test TSV. Prints JSON."""

from __future__ import annotations

from core.cli.flags import add_device, add_run, add_search, search_config
from core.cli.io import print_json


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="score a run on a test set (JSON)", description=__doc__)
    add_run(p)
    p.add_argument(
        "--test", required=True, help="a TSV file (src<TAB>ref), or two Moses files SRC,REF; .gz allowed"
    )
    add_search(p, ("beam", "length_penalty"))
    p.add_argument("--limit", type=int, help="score only the first N pairs")
    add_device(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from core.evaluation import evaluate_run

    print_json(evaluate_run(args.run, args.test, search_config(args), args.limit, args.device).to_dict())
    return 0
