"""The evidence behind every study table in README.md and benchmarks/RESULTS.md, and the tables.

    python benchmarks/study_evidence.py extract benchmarks/out/study_grammar5 grammar5   # report.json -> evidence
    python benchmarks/study_evidence.py tables            # rewrite the tables in README.md and RESULTS.md
    python benchmarks/study_evidence.py tables --check    # exit 1 when a table differs from the evidence

`extract` keeps the small part of a study's report (core.study.report_file.Report) that the tables are made of, per seed
(benchmarks/evidence/NAME.json, committed): the settings and provenance, every arm's value in
every seed, the primary comparisons with their Holm-adjusted tests, every exploratory test with
its Benjamini-Hochberg-adjusted p, sacrebleu's paired bootstrap per seed, BLEU by source length,
probe margins, CKA across seeds and the censored steps to a threshold. A "3/3" can be checked from
a clone.

`tables` renders each table between its markers, `<!-- evidence:NAME/KIND -->` and
`<!-- /evidence -->`, from the evidence alone. `make test` runs the check (tests/test_evidence.py).
Notation, everywhere: `x [a, b]` is an estimate and its 95% interval (over seeds unless a table
says otherwise); bold marks a difference whose adjusted test holds at 0.05, and nothing else.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.evidence_tables import KINDS
from core.study.report_file import Report, strict_json

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = ROOT / "benchmarks" / "evidence"
DOCUMENTS = (ROOT / "README.md", ROOT / "benchmarks" / "RESULTS.md")
MARKER = re.compile(r"(<!-- evidence:([\w-]+)/(\w+) -->\n)(.*?)(<!-- /evidence -->)", re.S)


CKA_FIELDS = (
    "a",
    "b",
    "state",
    "layer",
    "between",
    "within",
    "difference",
    "floor",
    "p",
    "assignments",
    "pairs",
)


def extract(report: Report) -> dict:
    """The evidence of one report: what the tables need, seed by seed."""
    scores = {
        split: {
            metric: {key: section.to_dict()[key] for key in ("per_seed", "arms", "vs_forward")}
            for metric, section in metrics.items()
        }
        for split, metrics in report.scores.splits.items()
    }
    probes = report.probes.to_dict()
    provenance = report.provenance.to_dict()
    by_length = report.by_length.to_dict()
    cka = report.cka.to_dict()
    evidence = {
        "study": report.study,
        "spec": report.spec.to_dict(),
        "arms": list(report.arms),
        "seeds": list(report.seeds),
        "missing_runs": list(report.missing_runs),
        "provenance": {k: v for k, v in provenance.items() if k != "settings"},
        "settings": provenance["settings"],
        "primary": [row.to_dict() for row in report.primary],
        "tests": [t.to_dict() for t in report.tests],
        "scores": scores,
        "paired_bleu": [row.to_dict() for row in report.paired_bleu],
        "by_length": {k: by_length[k] for k in ("buckets", "n", "vs_forward")}
        | {"arms": {arm: list(band.mean) for arm, band in report.by_length.arms.items()}},
        "position": report.position_loss.to_dict()["early_vs_late"],
        "probes": {k: probes[k] for k in ("final", "vs_forward", "resampling")},
        "cka": {
            "sentences": report.cka.sentences,
            "arms": [{k: row[k] for k in CKA_FIELDS} for row in cka["arms"]],
            "layer_match": [
                {k: m[k] for k in ("arm", "state", "seeds", "match")} for m in cka["layer_match"]
            ],
        },
        "steps_to_bleu": report.steps_to_bleu.to_dict(),
        "alike": report.alike.lines(),
        "summary": list(report.summary),
    }
    return strict_json(evidence)


def render(text: str, evidence_dir: Path = EVIDENCE) -> str:
    """`text` with every marked table made anew from its evidence file."""

    def fill(match: re.Match) -> str:
        name, kind = match.group(2), match.group(3)
        path = evidence_dir / f"{name}.json"
        if kind not in KINDS:
            raise SystemExit(f"unknown table kind {kind!r} (choose from {', '.join(KINDS)})")
        if not path.is_file():
            raise SystemExit(f"no evidence {path} for the table {name}/{kind}")
        return match.group(1) + KINDS[kind](json.loads(path.read_text(encoding="utf-8"))) + match.group(5)

    return MARKER.sub(fill, text)


def stale(documents=DOCUMENTS, evidence_dir: Path = EVIDENCE) -> list[Path]:
    """The documents whose tables differ from what their evidence renders."""
    return [
        path
        for path in documents
        if render(path.read_text(encoding="utf-8"), evidence_dir) != path.read_text(encoding="utf-8")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="a study's report.json -> benchmarks/evidence/NAME.json")
    ex.add_argument("study", type=Path)
    ex.add_argument("name")
    tb = sub.add_parser("tables", help="rewrite the marked tables of README.md and RESULTS.md")
    tb.add_argument("--check", action="store_true", help="write nothing; exit 1 when a table differs")
    args = parser.parse_args(argv)
    if args.command == "extract":
        report = Report.read(args.study)
        EVIDENCE.mkdir(parents=True, exist_ok=True)
        out = EVIDENCE / f"{args.name}.json"
        out.write_text(json.dumps(extract(report), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size:,} bytes)")
        return 0
    if args.check:
        differ = stale()
        for path in differ:
            print(
                f"{path.relative_to(ROOT)}: a study table differs from benchmarks/evidence "
                "(python benchmarks/study_evidence.py tables)",
                file=sys.stderr,
            )
        return 1 if differ else 0
    for path in DOCUMENTS:
        path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
