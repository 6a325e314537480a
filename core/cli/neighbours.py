"""`s2s neighbours`: the sentences of a corpus whose thought vectors are closest (cosine) to
each query's. Prints JSON: [{"query", "neighbours": [{"sentence", "cosine"}, ...]}].

--corpus takes a text file (one sentence a line) or a TSV corpus (its source column); repeat
it to index several (e.g. dev.tsv and test.tsv).
"""

from __future__ import annotations

from pathlib import Path

from core.cli.flags import add_device, add_run, add_vector
from core.cli.io import print_json, read_sentences
from core.errors import UserError


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(
        name, help="nearest corpus sentences by thought-vector cosine (JSON)", description=__doc__
    )
    add_run(p)
    p.add_argument("--corpus", required=True, action="append", help="sentences to search (.txt or .tsv)")
    p.add_argument("--query", action="append", default=[], help="a query sentence (repeatable)")
    p.add_argument("--input", help="a file of query sentences, one a line ('-' for stdin)")
    p.add_argument("-k", type=int, default=5, help="neighbours per query (default 5)")
    add_vector(p)
    add_device(p)
    p.set_defaults(handler=run)


def corpus_sentences(path: str) -> list[str]:
    name = path.lower()
    if name.endswith((".tsv", ".tsv.gz")):
        from core.corpus.readers import read_parallel_with_report

        pairs, _ = read_parallel_with_report(path)
        return [source for source, _ in pairs]
    if not Path(path).exists():
        raise UserError(f"corpus file {path} does not exist")
    if not Path(path).is_file():
        raise UserError(f"corpus {path} is not a regular file: give a .txt (a sentence a line) or .tsv")
    return read_sentences(path)


def run(args) -> int:
    from core.analysis.neighbours import NeighbourIndex
    from core.run.loaded import load_run

    queries = list(args.query) + ([s for s in read_sentences(args.input) if s] if args.input else [])
    if not queries:
        raise UserError("no query: give --query SENTENCE or --input FILE")
    if args.k < 1:
        raise UserError("-k must be at least 1")
    sentences = [s for path in args.corpus for s in corpus_sentences(path)]
    loaded = load_run(args.run, args.device)
    index = NeighbourIndex(loaded, sentences, state=args.state, layers=args.layers)
    found = index.query(queries, k=args.k)
    print_json(
        [
            {"query": q, "neighbours": [{"sentence": s, "cosine": round(c, 6)} for s, c in hits]}
            for q, hits in zip(queries, found)
        ]
    )
    return 0
