"""`s2s corpus grammar --out DIR`: write the built-in English -> French corpus:
DIR/train.tsv dev.tsv test.tsv and DIR/probes/*.tsv (probe sentences are never in train).
`s2s corpus check FILE [TGT_FILE]`: read a corpus as training would and report its size."""

from __future__ import annotations

import sys

from core.cli.io import print_json
from core.corpus.spec import GRAMMAR_PAIRS, check_grammar_pairs


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="write the built-in corpus, or check a corpus file", description=__doc__)
    what = p.add_subparsers(dest="what", required=True, metavar="grammar|check")
    g = what.add_parser("grammar", help="write the built-in English -> French grammar corpus")
    g.add_argument("--out", required=True, help="the folder to write")
    g.add_argument(
        "--pairs",
        type=int,
        default=GRAMMAR_PAIRS,
        help=f"distinct sentence pairs in all (default {GRAMMAR_PAIRS:,})",
    )
    g.add_argument("--seed", type=int, default=0)
    g.set_defaults(handler=run_grammar)
    c = what.add_parser("check", help="validate a corpus (TSV or two Moses files) and print statistics")
    c.add_argument("path")
    c.add_argument("tgt_path", nargs="?")
    c.set_defaults(handler=run_check)


def run_grammar(args) -> int:
    from core.corpus.grammar import write_corpus

    check_grammar_pairs(args.pairs, "--pairs")
    corpus = write_corpus(args.out, n_pairs=args.pairs, seed=args.seed)
    print(
        f"{len(corpus.train)} train, {len(corpus.dev)} dev, {len(corpus.test)} test pairs and "
        f"{len(corpus.probes)} probe suites -> {args.out}",
        file=sys.stderr,
    )
    return 0


def run_check(args) -> int:
    from core.corpus.description import corpus_stats
    from core.corpus.readers import read_parallel_with_report

    pairs, report = read_parallel_with_report(args.path, args.tgt_path)
    stats = corpus_stats(pairs)
    print_json(
        {
            "lines": report.n_lines,
            "pairs": report.n_pairs,
            "empty_dropped": report.n_empty_dropped,
            "mean_source_words": round(stats.mean_source_len, 2),
            "mean_target_words": round(stats.mean_target_len, 2),
            "distinct_sources": stats.n_distinct_sources,
        }
    )
    return 0
