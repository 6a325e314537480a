"""What a study compares: the metrics and splits, which way is better, and the primary comparisons.

A study's primary comparisons are declared in study.json before any run trains: by default test
BLEU and test perplexity of every arm against forward (PRIMARY). They alone are read with Holm's
correction and carry the study's claims; everything else the report tests is exploratory
(core.study.multiplicity).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import UserError

METRICS = {"ppl": "lower", "bleu": "higher", "chrf": "higher"}  # and which way is better
NAMES = {"ppl": "perplexity", "bleu": "BLEU", "chrf": "chrF"}
SPLITS = ("dev", "test")
PRIMARY = ("test.bleu", "test.ppl")  # the paper's headline (Table 1 BLEU) and the loss it optimises


def parse_comparison(text: str) -> tuple[str, str]:
    """ "test.bleu" -> ("test", "bleu"); a UserError naming the choices."""
    split, _, metric = str(text).strip().partition(".")
    if split not in SPLITS or metric not in METRICS:
        choices = ", ".join(f"{s}.{m}" for s in SPLITS for m in METRICS)
        raise UserError(
            f"unknown comparison {text!r}: choose from {choices} (e.g. --primary test.bleu,test.ppl)"
        )
    return split, metric


def parse_primary(values: str | Sequence[str]) -> tuple[str, ...]:
    """ "test.bleu,test.ppl" or a sequence -> a tuple of distinct known split.metric names."""
    names = [v.strip() for v in values.split(",")] if isinstance(values, str) else [str(v) for v in values]
    names = [n for n in names if n]
    if not names:
        raise UserError("--primary names at least one comparison, e.g. test.bleu")
    for name in names:
        parse_comparison(name)
    if len(set(names)) < len(names):
        raise UserError(f"--primary names a comparison twice: {','.join(names)}")
    return tuple(names)


def comparison_key(split: str, metric: str, arm: str, baseline: str) -> str:
    """The key of "arm against baseline on split metric": "test.bleu:reversed-forward"."""
    return f"{split}.{metric}:{arm}-{baseline}"


def parse_comparison_key(key: str) -> tuple[str, str, str]:
    """ "test.bleu:reversed-forward" -> ("test", "bleu", "reversed"): comparison_key's split, metric
    and arm."""
    split_metric, pair = key.split(":")
    split, metric = split_metric.split(".")
    return split, metric, pair.split("-")[0]
