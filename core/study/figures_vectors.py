"""The report's figures of thought vectors: probe margins, CKA against the seed baseline, Figure 2.

Plain plotly JSON dicts, as in core.study.figures.
"""

from __future__ import annotations

from core.analysis.cka import STATES
from core.study.figures import arm_colour, band_traces, error_bars, figure, panels

KINDS = {"raw": "raw cosine", "centred": "mean-centred cosine", "lead": "lead over the best surface baseline"}
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
PALETTE = ("#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2", "#bcbd22")  # variant columns, not arms


def probes_final_figure(report: dict) -> dict:
    """Each suite's margin per arm at the end: raw cosine and mean-centred, intervals over seeds."""
    final, arms = report["probes"]["final"], report["arms"]
    suites = list(final)
    traces = []
    for i, kind in enumerate(KINDS):
        axis = "" if i == 0 else str(i + 1)
        for arm in arms:
            points = [final[suite][arm][kind] for suite in suites]
            traces.append({"type": "scatter", "x": suites, "y": [p["mean"] for p in points], "mode": "markers",
                           "name": arm, "legendgroup": arm, "showlegend": i == 0,
                           "marker": {"color": arm_colour(arm), "size": 10},
                           "error_y": error_bars(points), "xaxis": f"x{axis}", "yaxis": f"y{axis}"})  # fmt: skip
    layout = panels(list(KINDS.values()), ["suite"] * 3, ["margin: cos(pos) - cos(neg)", "centred margin",
                    "margin - best baseline's"])  # fmt: skip
    return figure("Probe margins at the end of training (above 0: the encoder keeps the meaning; beside surface "
                  "baselines: a lead above 0)", traces, report["provenance"], scattermode="group", **layout)  # fmt: skip


def probes_training_figure(report: dict) -> dict | None:
    """Probe margins over training from the runs' probe records; None when there are none."""
    over = report["probes"]["over_training"]
    if not over:
        return None
    suites = list(over)
    traces = []
    for i, suite in enumerate(suites):
        for arm in report["arms"]:
            band = over[suite][arm]
            traces += band_traces(
                band["steps"], band, arm, arm_colour(arm), "" if i == 0 else str(i + 1), i == 0
            )
    layout = panels(suites, ["step"] * len(suites), ["margin"] + [""] * (len(suites) - 1), gap=0.04)
    return figure("Probe margins over training: mean over seeds with 95% bands", traces, report["provenance"],
                  **layout)  # fmt: skip


def cka_figure(report: dict) -> dict:
    """CKA of each layer and state between arms (same seed), beside two seeds of the same arm."""
    cka = report["cka"]
    traces = []
    for row in cka["seed_baseline"], cka["between_arms"]:
        groups = {}
        for r in row:
            name = f"{r['arm']} seed vs seed" if "arm" in r else f"{r['a']} vs {r['b']}"
            groups.setdefault(name, []).append(r)
        for name, rows in groups.items():
            dashed = "seed vs seed" in name
            colour = arm_colour(rows[0].get("arm") or rows[0]["b"])
            traces.append({
                "type": "scatter", "x": [f"{r['state']} layer {r['layer'] + 1}" for r in rows],
                "y": [r["mean"] for r in rows], "mode": "lines+markers", "name": name,
                "line": {"color": colour, "dash": "dot" if dashed else "solid"},
                "marker": {"symbol": "circle-open" if dashed else "circle", "size": 9},
                "error_y": error_bars(rows),
            })  # fmt: skip
    title = (f"Linear CKA on {cka['sentences']} test sentences: arms (solid) against the seed baseline (dotted)"
             f" per layer and state {'/'.join(STATES)}")  # fmt: skip
    return figure(title, traces, report["provenance"], yaxis={"title": {"text": "CKA"}, "range": [0, 1.05]},
                  xaxis={"title": {"text": "state, layer (bottom = 1)"}})  # fmt: skip


def figure2_figure(report: dict) -> dict:
    """Figure 2's two panels for seed 0 of every arm: one row per panel, one column per arm, the
    arms of a row in shared axes (each map was rotated onto forward's by Procrustes)."""
    maps, arms = report["figure2"]["maps"], report["arms"]
    suites = list(maps)
    n, gap, vgap = len(arms), 0.04, 0.1
    width, height = (1 - gap * (n - 1)) / n, (1 - vgap * (len(suites) - 1)) / len(suites)
    traces, layout, notes, shown = [], {}, [], set()
    for row, suite in enumerate(suites):
        first = "" if row == 0 else str(row * n + 1)
        for col, arm in enumerate(arms):
            suffix = "" if row == col == 0 else str(row * n + col + 1)
            x0, top = col * (width + gap), 1 - row * (height + vgap)
            shared = {"matches": f"x{first}"} if col else {"range": _padded(maps[suite], "x", 0.35)}
            layout[f"xaxis{suffix}"] = {"domain": [x0, min(1.0, x0 + width)], "anchor": f"y{suffix}", "showticklabels": False,
                                        **shared}  # fmt: skip
            layout[f"yaxis{suffix}"] = {"domain": [max(0.0, top - height), top], "anchor": f"x{suffix}", "showticklabels": False,
                                        **({"matches": f"y{first}"} if col else {"range": _padded(maps[suite], "y", 0.15)})}  # fmt: skip
            explained = maps[suite][arm]["explained"]
            share = f" ({sum(explained[:2]) * 100:.0f}% of its variance)" if explained else ""
            notes.append({"text": f"<b>{arm}</b> · {suite}{share}", "x": x0 + width / 2, "y": top, "xref": "paper",
                          "yref": "paper", "showarrow": False, "yanchor": "bottom"})  # fmt: skip
            traces += _map_traces(maps[suite][arm], suffix, shown)
    title = (f"Figure 2 (Sutskever et al. 2014), seed {report['figure2']['seed']}: PCA of the thought vectors, "
             "each arm's map rotated and scaled onto forward's (Procrustes)")  # fmt: skip
    return figure(title, traces, report["provenance"], height=440 * len(suites), annotations=notes, **layout)


def _padded(maps: dict, axis: str, share: float) -> list[float]:
    """An axis range over every arm's points, widened by `share` of its span on each side (room
    for the sentence labels, which plotly does not make room for)."""
    values = [v for points in maps.values() for v in points[axis]] or [0.0]
    low, high = min(values), max(values)
    pad = share * ((high - low) or 1.0)
    return [low - pad, high + pad]


def _map_traces(points: dict, suffix: str, shown: set) -> list[dict]:
    """One trace per variant column (active, passive, swapped...) of one map."""
    traces = []
    for j, column in enumerate(dict.fromkeys(points["column"])):
        index = [i for i, c in enumerate(points["column"]) if c == column]
        traces.append({"type": "scatter", "mode": "markers+text", "name": column, "legendgroup": column,
                       "showlegend": column not in shown, "x": [points["x"][i] for i in index],
                       "y": [points["y"][i] for i in index], "text": [points["text"][i] for i in index],
                       "textposition": "top center", "textfont": {"size": 9},
                       "marker": {"symbol": SYMBOLS[j % len(SYMBOLS)], "size": 9, "color": PALETTE[j % len(PALETTE)]},
                       "hovertemplate": "%{text}<extra>" + column + "</extra>",
                       "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})  # fmt: skip
        shown.add(column)
    return traces
