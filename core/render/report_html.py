"""report.html: the report in one self-contained file that opens with no network.

The figures are core.render.study's, written with plotly's own Figure.to_html: plotly.js is
inlined once, with the first figure; no CDN, no web fonts, no MathJax, no links to plotly's cloud.
Every table states the one notation of the report: `x [a, b]` is an estimate and its 95%
interval (over seeds unless the table says otherwise); a difference is bold only where its
adjusted test holds (Holm for the primary comparisons, Benjamini-Hochberg for the exploratory).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from core import atomic
from core.render.study import figures
from core.study.arms import BASELINE
from core.study.layout import REPORT_HTML
from core.study.metrics import NAMES
from core.study.multiplicity import EXPLORATORY, Test
from core.study.report_file import Report
from core.study.stats import Estimate
from core.study.summary import interval, number, signed

NOTATION = (
    "Notation: x [a, b] is an estimate with its 95% interval, over seeds unless a table says otherwise. "
    "p is a two-sided test's unadjusted p-value; the adjusted value is Holm's for the primary comparisons "
    "(declared in study.json before training) and Benjamini-Hochberg's for the exploratory rest. "
    "Bold: a difference whose adjusted test holds at 0.05. Nothing else is bold."
)
# no MathJax (typesetMath), no links to plotly's cloud: the page makes no request at all
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "typesetMath": False, "showSendToCloud": False}
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto;
       max-width: 1200px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.8rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.provenance, .notation { color: #666; font-size: 0.85rem; }
.summary li { margin: 0.3rem 0; }
.figure { margin: 1.5rem 0; }
"""


def esc(value) -> str:
    return html.escape(str(value))


def estimate_cell(e: Estimate | None) -> str:
    if not e or e.mean is None:
        return "n/a"
    if e.low is None:
        return f"{number(e.mean)} (n={e.n})"
    return f"{number(e.mean)} {interval(e.low, e.high)}"


def p_cell(test: Test | None) -> str:
    if test is None or test.p is None:
        return "<td>—</td><td>—</td>"
    return f"<td>{test.p:.2g}</td><td>{test.adjusted:.2g}</td>"


def bold(text: str, test: Test | None) -> str:
    return f"<b>{text}</b>" if test is not None and test.holds else text


def table(head: list[str], rows: list[str]) -> str:
    return "<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>" + "".join(rows) + "</table>"


def primary_table(report: Report) -> str:
    rows = []
    for row in report.primary:
        test = row.test
        figure = bold(f"{signed(row.mean)} {interval(row.low, row.high)}", test)
        seeds = f"{row.wins}/{row.n}"
        cells = f"<td>{esc(test.what)}</td><td>{figure}</td><td>{seeds}</td>{p_cell(test)}"
        rows.append(f"<tr>{cells}<td>{esc(row.verdict)}</td></tr>")
    head = ["primary comparison", "difference [95% over seeds]", "seeds better", "p", "Holm p", "verdict"]
    return table(head, rows)


def scores_table(report: Report, split: str, tests: dict[str, Test]) -> str:
    section = report.scores.splits[split]
    rows = []
    for arm in report.arms:
        cells = "".join(f"<td>{estimate_cell(section[m].arms[arm])}</td>" for m in section)
        rows.append(f"<tr><td>{esc(arm)}</td>{cells}</tr>")
    for arm in report.arms:
        if arm == BASELINE:
            continue
        cells = []
        for metric in section:
            d = section[metric].vs_forward[arm]
            test = tests.get(f"{split}.{metric}:{arm}-{BASELINE}")
            adjusted = "—" if test is None or test.adjusted is None else f"{test.adjusted:.2g}"
            better = f"better in {d.wins}/{d.estimate.n}"
            cells.append(f"<td>{bold(estimate_cell(d.estimate), test)}; adj. p {adjusted}; {better}</td>")
        rows.append(f"<tr><td>{esc(arm)} − {BASELINE}</td>{''.join(cells)}</tr>")
    head = [f"{split}: mean [95% over seeds]", *(NAMES[m] for m in section)]
    return table(head, rows)


def paired_bleu_table(report: Report) -> str:
    rows = []
    for r in report.paired_bleu:
        base, system = r.baseline, r.system
        cells = [
            r.seed,
            esc(r.arm),
            f"{number(base.mean)} ± {number(base.ci)}",
            f"{number(system.mean)} ± {number(system.ci)}",
            signed(r.difference),
            f"{r.p:.2g}",
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if not rows:
        return ""
    head = [
        "seed",
        "arm",
        f"{BASELINE} BLEU (± 95% over test resamples)",
        "arm BLEU",
        "difference",
        "p (unadjusted)",
    ]
    return "<h3>Test-set resampling: sacrebleu's paired bootstrap, seed by seed</h3>" + table(head, rows)


def steps_table(report: Report) -> str:
    section = report.steps_to_bleu
    rows = []
    for arm, s in section.arms.items():
        seeds = ", ".join(
            str(v) if v is not None else f"&gt;{last}" for v, last in zip(s.per_seed, s.last_step)
        )
        rows.append(f"<tr><td>{esc(arm)}</td><td>{esc(s.describe())}</td><td>{seeds}</td></tr>")
    return table([f"steps to dev BLEU {section.threshold}", "median over all seeds", "per seed"], rows)


def exploratory_table(tests: Sequence[Test]) -> str:
    shown = [t for t in tests if t.family == EXPLORATORY]
    rows = [
        f"<tr><td>{esc(t.what)}</td><td>{bold(signed(t.estimate), t)}</td>{p_cell(t)}</tr>" for t in shown
    ]
    head = ["exploratory comparison", "estimate", "p", "BH-adjusted p"]
    return f"<details><summary>Every exploratory test ({len(rows)})</summary>{table(head, rows)}</details>"


def render_html(report: Report) -> str:
    """The whole page as one string."""
    spec = report.spec
    tests = report.tests
    by_key = {t.key: t for t in tests}
    items = "".join(f"<li>{esc(line)}</li>" for line in report.summary)
    notes = "".join(f"<li>{esc(line)}</li>" for line in [*report.notes, *report.alike.lines()])
    divs = []
    for i, (caption, fig) in enumerate(figures(report)):
        plot = fig.to_html(full_html=False, include_plotlyjs=i == 0, config=PLOTLY_CONFIG, div_id=f"fig{i}")
        divs.append(f'<div class="figure"><h3>{esc(caption)}</h3>{plot}</div>')
    training_note = report.probes.over_training_note
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Study {esc(report.study)}</title>
<style>{STYLE}</style>
</head><body>
<h1>Study {esc(report.study)}</h1>
<p>Data <code>{esc(spec.data)}</code>, preset <code>{esc(spec.preset)}</code>,
arms {esc(", ".join(report.arms))}, {spec.seeds} seed(s), {spec.steps or "the preset's"} steps per run.</p>
<p class="provenance">{esc(report.provenance.line())}</p>
<p class="notation">{esc(NOTATION)}</p>
<h2>Summary</h2><ul class="summary">{items}</ul>
{f"<h2>Notes</h2><ul>{notes}</ul>" if notes else ""}
<h2>Primary comparisons</h2>{primary_table(report)}
<h2>Scores</h2>{scores_table(report, "test", by_key)}{scores_table(report, "dev", by_key)}
{paired_bleu_table(report)}{steps_table(report)}
<h2>Exploratory tests</h2>{exploratory_table(tests)}
{f"<p>{esc(training_note)}</p>" if training_note else ""}
{"".join(divs)}
</body></html>
"""


def write_html(study: str | Path, report: Report) -> Path:
    """report.html beside report.json in the study folder."""
    return atomic.write_text(Path(study) / REPORT_HTML, render_html(report))
