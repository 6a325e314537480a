"""`s2s eval`: BLEU, chrF (with sacrebleu signatures), perplexity and BLEU by source length
(the paper's Figure 3 buckets) of a run on a test TSV. Prints JSON."""

from __future__ import annotations

from core.cli.io import print_json


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="score a run on a test set (JSON)", description=__doc__)
    p.add_argument("--run", required=True)
    p.add_argument(
        "--test", required=True, help="a TSV file (src<TAB>ref), or two Moses files SRC,REF; .gz allowed"
    )
    p.add_argument("--beam", type=int, default=5)
    p.add_argument("--length-penalty", type=float, default=0.0)
    p.add_argument("--limit", type=int, help="score only the first N pairs")
    p.add_argument("--device", default="auto")
    p.set_defaults(handler=run)


def run(args) -> int:
    from core.evaluation import evaluate_run
    from core.search import SearchConfig

    config = SearchConfig(beam=args.beam, length_penalty=args.length_penalty)
    print_json(evaluate_run(args.run, args.test, config, args.limit, args.device))
    return 0
