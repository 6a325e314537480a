"""The study tables of README.md and benchmarks/RESULTS.md are made from committed per-seed evidence
(benchmarks/evidence/*.json): `make test` fails when a table differs from what its evidence gives."""

import json
import re

import pytest

from benchmarks.evidence_tables import KINDS
from benchmarks.study_evidence import DOCUMENTS, EVIDENCE, MARKER, extract, render, stale
from core.study.report import assemble
from tests.helpers.study import fake_collected


def test_the_documents_tables_match_the_committed_evidence():
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        marked = MARKER.findall(text)
        assert marked, f"{path.name} has no study table made from evidence"
        for _, name, kind, _, _ in marked:
            assert (EVIDENCE / f"{name}.json").is_file() and kind in KINDS, (name, kind)
    assert stale() == [], "run: python benchmarks/study_evidence.py tables"


def test_a_table_edited_by_hand_is_caught(tmp_path):
    readme = DOCUMENTS[0].read_text(encoding="utf-8")
    match = MARKER.search(readme)
    body = match.group(4)
    edited = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), body, count=1)
    assert edited != body
    copy = tmp_path / "README.md"
    copy.write_text(readme[: match.start(4)] + edited + readme[match.end(4) :], encoding="utf-8")
    assert stale([copy]) == [copy]
    copy.write_text(render(copy.read_text(encoding="utf-8")), encoding="utf-8")
    assert stale([copy]) == []  # made anew from the evidence, it is right again


def test_every_table_kind_renders_from_a_reports_evidence(tmp_path):
    spec, collected = fake_collected()
    evidence = extract(assemble("demo", spec, collected))
    json.dumps(evidence, allow_nan=False)
    (tmp_path / "demo.json").write_text(json.dumps(evidence), encoding="utf-8")
    for kind in KINDS:
        text = render(f"<!-- evidence:demo/{kind} -->\nold\n<!-- /evidence -->\n", tmp_path)
        lines = text.splitlines()
        assert lines[1].startswith("| ") and lines[2].startswith("| ---") and len(lines) >= 5, kind
    # the per-seed values behind a "3/3" are in the evidence and in the seeds table
    seeds = render("<!-- evidence:demo/seeds -->\n<!-- /evidence -->\n", tmp_path)
    assert "| test perplexity | attention | 7.00 | 7.30 | 6.80 |" in seeds
    # bold only where the adjusted test holds: attention's perplexity, not reversal's BLEU
    primary = render("<!-- evidence:demo/primary -->\n<!-- /evidence -->\n", tmp_path)
    bleu_row = next(line for line in primary.splitlines() if line.startswith("| test BLEU, reversed"))
    assert "**" not in bleu_row and "inconclusive" in bleu_row
    assert "**" in next(
        line for line in primary.splitlines() if line.startswith("| test perplexity, attention")
    )


def test_an_unknown_table_kind_or_missing_evidence_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="unknown table kind"):
        render("<!-- evidence:demo/colour -->\n<!-- /evidence -->\n", tmp_path)
    with pytest.raises(SystemExit, match="no evidence"):
        render("<!-- evidence:nothing/primary -->\n<!-- /evidence -->\n", tmp_path)
