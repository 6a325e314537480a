"""`s2s translate`: one source sentence a line on stdin (or --input) -> one translation a line.

An empty input line gives an empty output line, so the output stays aligned with the input.
With --nbest N > 1, each input gives N lines: `index<TAB>logprob<TAB>translation` (none for an
empty line). A source longer than the model reads (1,000 tokens) is cut, and an output that
reaches its length limit (--max-len-a x source tokens + --max-len-b, at most 400) stops there;
both with a note on stderr. A wide beam over many sentences is decoded in chunks (core.search).
"""

from __future__ import annotations

import sys

from core.cli.flags import add_device, add_run, add_search, search_config
from core.cli.io import note_cut_sources, read_sentences
from core.errors import UserError


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="translate sentences with a trained run", description=__doc__)
    add_run(p)
    add_search(p)
    p.add_argument("--input", help="a file with one sentence a line (default: stdin)")
    p.add_argument("--batch-size", type=int, default=64)
    add_device(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from core.run.loaded import load_run
    from core.translate import translate

    # every option is checked before the model is loaded (SearchConfig names the bad one)
    config = search_config(args)
    if args.batch_size < 1:
        raise UserError(f"--batch-size must be at least 1, not {args.batch_size}")
    loaded = load_run(args.run, args.device)
    sentences = read_sentences(args.input)
    if not sentences:
        raise UserError("no input: give sentences on stdin or with --input, one a line")
    kept = [i for i, sentence in enumerate(sentences) if sentence.strip()]
    if not kept:
        raise UserError("every input line is empty: give sentences, one a line")
    note_cut_sources(loaded, sentences, "translate")  # empty lines have no tokens
    results = dict(zip(kept, translate(loaded, [sentences[i] for i in kept], config, args.batch_size)))
    for i, nbest in results.items():
        if nbest and not nbest[0].finished:
            print(
                f"s2s translate: note: line {i + 1}: the translation stopped at its length limit "
                f"({nbest[0].n_tokens} tokens; --max-len-a and --max-len-b set it, up to "
                f"{config.max_len_cap})",
                file=sys.stderr,
            )
    out = sys.stdout
    for i in range(len(sentences)):
        nbest = results.get(i, [])
        if config.nbest == 1:
            out.write((nbest[0].text if nbest else "") + "\n")
        else:
            for hyp in nbest:
                out.write(f"{i}\t{hyp.logprob:.4f}\t{hyp.text}\n")
    return 0
