"""report.html: the report in one self-contained file that opens with no network.

plotly.js is inlined from the installed plotly package (found without importing it: core never
imports plotly); no CDN, no web fonts, no MathJax. Figures are core.study.figures' JSON dicts.
"""

from __future__ import annotations

import html
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from core.errors import UserError
from core.study.arms import BASELINE
from core.study.figures import (
    curves_figure,
    differences_figure,
    length_figure,
    position_figure,
    scores_figure,
    threshold_figure,
)
from core.study.figures_vectors import cka_figure, figure2_figure, probes_final_figure, probes_training_figure
from core.study.provenance import provenance_line
from core.study.summary import NAMES, interval, number

PLOTLY_JS = Path("package_data") / "plotly.min.js"
# no MathJax (typesetMath), no links to plotly's cloud: the page makes no request at all
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "typesetMath": False, "showLink": False,
                 "showSendToCloud": False, "showEditInChartStudio": False}  # fmt: skip
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto;
       max-width: 1200px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.8rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.provenance { color: #666; font-size: 0.85rem; }
.summary li { margin: 0.3rem 0; }
.figure { margin: 1.5rem 0; }
"""


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The installed plotly package's plotly.min.js (UserError if plotly is not installed)."""
    spec = importlib.util.find_spec("plotly")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / PLOTLY_JS
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise UserError(
        "report.html inlines plotly.js from the plotly package, which is not installed: pip install plotly"
    )


def _script_json(value) -> str:
    """JSON safe inside a <script> element ("</script>" and "<!--" cannot appear)."""
    return json.dumps(value, allow_nan=False).replace("<", "\\u003c")


def figures(report: dict) -> list[tuple[str, dict]]:
    """(caption, figure) of every figure the report has data for."""
    out = [
        ("Test scores", scores_figure(report, "test")),
        ("Dev scores", scores_figure(report, "dev")),
        ("Differences against forward", differences_figure(report, "test")),
        ("Learning curves", curves_figure(report)),
        ("Steps to a dev BLEU threshold", threshold_figure(report)),
        ("BLEU by source length", length_figure(report)),
        ("Loss by target position", position_figure(report)),
        ("Probe margins at the end", probes_final_figure(report)),
        ("Probe margins over training", probes_training_figure(report)),
        ("CKA between arms and between seeds", cka_figure(report)),
        ("Figure 2 maps", figure2_figure(report)),
    ]
    return [(caption, fig) for caption, fig in out if fig is not None]


def _cell(e: dict | None) -> str:
    if not e or e.get("mean") is None:
        return "n/a"
    if e.get("low") is None:
        return f"{number(e['mean'])} (n={e['n']})"
    return f"{number(e['mean'])} {interval(e['low'], e['high'])}"


def scores_table(report: dict, split: str) -> str:
    section = report["scores"][split]
    head = "".join(f"<th>{NAMES[m]}</th>" for m in section)
    rows = [f"<tr><td>{html.escape(arm)}</td>" + "".join(f"<td>{_cell(section[m]['arms'][arm])}</td>" for m in section)
            + "</tr>" for arm in report["arms"]]  # fmt: skip
    for arm in report["arms"]:
        if arm == BASELINE:
            continue
        cells = "".join(
            f"<td>{_cell(d)}; better in {d['wins']}/{d['n']}</td>"
            for d in (section[m]["vs_forward"][arm] for m in section)
        )
        rows.append(f"<tr><td>{html.escape(arm)} − {BASELINE}</td>{cells}</tr>")
    return f"<table><tr><th>{split}: mean [95% interval over seeds]</th>{head}</tr>{''.join(rows)}</table>"


def threshold_table(report: dict) -> str:
    section = report["steps_to_bleu"]
    rows = "".join(
        f"<tr><td>{html.escape(arm)}</td><td>{_cell(s)}</td><td>{s['reached']}/{s['runs']}</td>"
        f"<td>{', '.join('—' if v is None else str(v) for v in s['per_seed'])}</td></tr>"
        for arm, s in section["arms"].items()
    )
    return (f"<table><tr><th>steps to dev BLEU {section['threshold']}</th><th>mean [95%]</th><th>reached</th>"
            f"<th>per seed</th></tr>{rows}</table>")  # fmt: skip


def render_html(report: dict) -> str:
    """The whole page as one string."""
    spec = report["spec"]
    items = "".join(f"<li>{html.escape(line)}</li>" for line in report["summary"])
    notes = "".join(f"<li>{html.escape(line)}</li>" for line in report["notes"] + report["initial_weights"])
    divs, calls = [], []
    for i, (caption, fig) in enumerate(figures(report)):
        divs.append(f'<div class="figure"><h3>{html.escape(caption)}</h3><div id="fig{i}"></div></div>')
        calls.append(
            f"Plotly.newPlot('fig{i}', {_script_json(fig['data'])}, {_script_json(fig['layout'])}, CONFIG);"
        )
    training_note = report["probes"].get("over_training_note")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Study {html.escape(report["study"])}</title>
<style>{STYLE}</style>
<script>{plotly_js()}</script>
</head><body>
<h1>Study {html.escape(report["study"])}</h1>
<p>Data <code>{html.escape(str(spec["data"]))}</code>, preset <code>{html.escape(str(spec["preset"]))}</code>,
arms {html.escape(", ".join(report["arms"]))}, {spec["seeds"]} seed(s), {spec["steps"] or "the preset's"} steps per run.</p>
<p class="provenance">{html.escape(provenance_line(report["provenance"]))}</p>
<h2>Summary</h2><ul class="summary">{items}</ul>
{f"<h2>Notes</h2><ul>{notes}</ul>" if notes else ""}
<h2>Scores</h2>{scores_table(report, "test")}{scores_table(report, "dev")}{threshold_table(report)}
{f"<p>{html.escape(training_note)}</p>" if training_note else ""}
{"".join(divs)}
<script>
const CONFIG = {_script_json(PLOTLY_CONFIG)};
{chr(10).join(calls)}
</script>
</body></html>
"""
