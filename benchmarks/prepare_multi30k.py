"""Multi30k Task 1 as a `--data` folder: the official splits as train.tsv, dev.tsv and test.tsv.

    python benchmarks/prepare_multi30k.py --pair en-de --out benchmarks/out/data/multi30k-en-de

Reads ../shared/data/multi30k/raw/*.gz (SOURCE.md there gives their origin and checksums):
train (29,000 pairs), val (1,014) as dev, test_2016_flickr (1,000) as test. Nothing is
filtered or re-split, so a study's test BLEU is on the official 2016 test set. A tab inside a
sentence (the TSV separator: one German training line has one) becomes a space, and says so.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "data" / "multi30k" / "raw"
SPLITS = {"train": "train", "dev": "val", "test": "test_2016_flickr"}  # our name -> Multi30k's


def read_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pair", default="en-de", choices=["en-de", "en-fr"])
    parser.add_argument("--raw", type=Path, default=RAW, help="the folder of Multi30k's .gz files")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    src, tgt = args.pair.split("-")
    args.out.mkdir(parents=True, exist_ok=True)
    for ours, theirs in SPLITS.items():
        sources = read_lines(args.raw / f"{theirs}.{src}.gz")
        targets = read_lines(args.raw / f"{theirs}.{tgt}.gz")
        if len(sources) != len(targets):
            sys.exit(f"{theirs}: {len(sources)} {src} lines but {len(targets)} {tgt} lines")
        tabs = sum("\t" in line for line in sources + targets)
        if tabs:
            print(f"{theirs}: {tabs} line(s) held a tab inside the sentence: replaced by a space")
        sources, targets = ([line.replace("\t", " ") for line in side] for side in (sources, targets))
        text = "".join(f"{s}\t{t}\n" for s, t in zip(sources, targets))
        (args.out / f"{ours}.tsv").write_text(text, encoding="utf-8")
        print(f"{ours}.tsv: {len(sources)} pairs from {theirs}.{src}/.{tgt}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
