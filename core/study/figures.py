"""The report's figures as plain plotly JSON ({"data": [...], "layout": {...}}), without plotly.

Core never imports plotly: these dicts are what plotly.js draws (report.html) and what the app
can hand to plotly.graph_objects.Figure. Every figure carries the study's provenance line
(seeds, config hash, data fingerprint, sacrebleu signature) as a footnote. Bands are 95%
t-intervals over seeds; the figures of thought vectors are in figures_vectors.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.study.arms import BASELINE
from core.study.provenance import provenance_line

ARM_COLOURS = {"forward": "#1f77b4", "reversed": "#d62728", "attention": "#2ca02c"}
FONT = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"  # local fonts only: no web fonts


def arm_colour(arm: str) -> str:
    return ARM_COLOURS.get(arm, "#7f7f7f")


def translucent(hex_colour: str, alpha: float = 0.18) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def panels(
    titles: Sequence[str], x_titles: Sequence[str], y_titles: Sequence[str], gap: float = 0.08
) -> dict:
    """Layout axes for len(titles) panels side by side: xaxis, xaxis2, ... and their titles."""
    n = len(titles)
    width = (1 - gap * (n - 1)) / n
    layout, notes = {}, []
    for i in range(n):
        suffix = "" if i == 0 else str(i + 1)
        start = i * (width + gap)
        layout[f"xaxis{suffix}"] = {"domain": [start, min(1.0, start + width)], "anchor": f"y{suffix}",
                                    "title": {"text": x_titles[i]}}  # fmt: skip
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "title": {"text": y_titles[i]}, "zeroline": True}
        notes.append({"text": f"<b>{titles[i]}</b>", "x": start + width / 2, "y": 1.02, "xref": "paper",
                      "yref": "paper", "showarrow": False, "xanchor": "center", "yanchor": "bottom"})  # fmt: skip
    layout["annotations"] = notes
    return layout


def figure(title: str, traces: list[dict], provenance: dict, height: int = 400, **layout) -> dict:
    """A figure dict with the report's look and its provenance footnote."""
    notes = list(layout.pop("annotations", []))
    notes.append({"text": provenance_line(provenance), "x": 0, "y": 0, "yshift": -70, "xref": "paper", "yref": "paper",
                  "showarrow": False, "xanchor": "left", "yanchor": "top", "font": {"size": 10, "color": "#666"}})  # fmt: skip
    return {
        "data": traces,
        "layout": {
            "title": {"text": title},
            "height": height,
            "margin": {"l": 60, "r": 20, "t": 110, "b": 110},
            "font": {"family": FONT},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "legend": {"orientation": "h", "y": 1.1, "yanchor": "bottom", "x": 1, "xanchor": "right"},
            "annotations": notes,
            **layout,
        },
    }


def error_bars(estimates: Sequence[dict]) -> dict:
    """plotly error_y for estimates {"mean", "low", "high"} (no bar where there is no interval)."""

    def gap(e: dict, end: str) -> float:
        if e.get(end) is None or e.get("mean") is None:
            return 0.0
        return abs(e[end] - e["mean"])

    return {"type": "data", "symmetric": False, "array": [gap(e, "high") for e in estimates],
            "arrayminus": [gap(e, "low") for e in estimates]}  # fmt: skip


def band_traces(
    x: Sequence, band: dict, name: str, colour: str, axis: str = "", show: bool = True
) -> list[dict]:
    """The mean line of a band and its 95% interval as a shaded area (no area with one seed)."""
    axes = {"xaxis": f"x{axis}", "yaxis": f"y{axis}"}
    traces = []
    if any(v is not None for v in band.get("low", [])):
        traces.append({"type": "scatter", "x": list(x), "y": band["high"], "mode": "lines", "line": {"width": 0},
                       "hoverinfo": "skip", "showlegend": False, "legendgroup": name, **axes})  # fmt: skip
        traces.append({"type": "scatter", "x": list(x), "y": band["low"], "mode": "lines", "line": {"width": 0},
                       "fill": "tonexty", "fillcolor": translucent(colour), "hoverinfo": "skip",
                       "showlegend": False, "legendgroup": name, **axes})  # fmt: skip
    traces.append({"type": "scatter", "x": list(x), "y": band["mean"], "mode": "lines+markers", "name": name,
                   "line": {"color": colour}, "legendgroup": name, "showlegend": show, **axes})  # fmt: skip
    return traces


def point_traces(
    arms: Sequence[str], estimates: dict, name: str, axis: str = "", show: bool = True
) -> list[dict]:
    """Each arm's mean with its interval as an error bar, and every seed's value as a dot."""
    axes = {"xaxis": f"x{axis}", "yaxis": f"y{axis}"}
    traces = []
    for arm in arms:
        e = estimates.get(arm) or {}
        traces.append({"type": "scatter", "x": [arm], "y": [e.get("mean")], "mode": "markers", "name": arm,
                       "marker": {"color": arm_colour(arm), "size": 11}, "legendgroup": arm, "showlegend": show,
                       "error_y": error_bars([e]),
                       "hovertemplate": f"{arm} {name}: %{{y:.4g}}<extra></extra>", **axes})  # fmt: skip
        traces.append({"type": "scatter", "x": [arm] * len(e.get("values", [])), "y": e.get("values", []),
                       "mode": "markers", "marker": {"color": arm_colour(arm), "size": 6, "symbol": "circle-open"},
                       "showlegend": False, "legendgroup": arm, "hovertemplate": "a seed: %{y:.4g}<extra></extra>",
                       **axes})  # fmt: skip
    return traces


def scores_figure(report: dict, split: str) -> dict:
    section, arms = report["scores"][split], report["arms"]
    names = {"ppl": "perplexity", "bleu": "BLEU", "chrf": "chrF"}
    traces = []
    for i, metric in enumerate(names):
        traces += point_traces(
            arms, section[metric]["arms"], names[metric], "" if i == 0 else str(i + 1), i == 0
        )
    layout = panels(list(names.values()), [""] * 3, [f"{split} {n}" for n in names.values()])
    return figure(f"{split.capitalize()} scores per arm: mean over seeds, 95% interval, seeds as dots", traces,
                  report["provenance"], **layout)  # fmt: skip


def differences_figure(report: dict, split: str = "test") -> dict:
    section, others = report["scores"][split], [a for a in report["arms"] if a != BASELINE]
    names = {"ppl": "perplexity", "bleu": "BLEU", "chrf": "chrF"}
    traces = []
    for i, metric in enumerate(names):
        traces += point_traces(
            others, section[metric]["vs_forward"], f"- {BASELINE}", "" if i == 0 else str(i + 1), i == 0
        )
    layout = panels([f"{names[m]} ({section[m]['better']} is better)" for m in names], [""] * 3,
                    [f"arm - {BASELINE}" for _ in names])  # fmt: skip
    return figure(f"Paired {split} differences against {BASELINE}, seed by seed (interval excluding 0 = a difference)",
                  traces, report["provenance"], **layout)  # fmt: skip


def curves_figure(report: dict) -> dict:
    names = {"train_loss": "training loss", "dev_ppl": "dev perplexity", "dev_bleu": "dev BLEU (greedy)"}
    traces = []
    for i, key in enumerate(names):
        for arm in report["arms"]:
            band = report["curves"][key][arm]
            traces += band_traces(
                band["steps"], band, arm, arm_colour(arm), "" if i == 0 else str(i + 1), i == 0
            )
    layout = panels(list(names.values()), ["step"] * 3, list(names.values()))
    layout["yaxis2"]["type"] = "log"
    return figure("Learning curves: mean over seeds with 95% bands", traces, report["provenance"], **layout)


def threshold_figure(report: dict) -> dict:
    section = report["steps_to_bleu"]
    traces = point_traces(report["arms"], section["arms"], "steps")
    reached = ", ".join(f"{a} {s['reached']}/{s['runs']}" for a, s in section["arms"].items())
    title = f"Steps to reach dev BLEU {section['threshold']} ({section['source']}); reached by: {reached}"
    return figure(
        title, traces, report["provenance"], yaxis={"title": {"text": "steps"}, "rangemode": "tozero"}
    )


def length_figure(report: dict) -> dict:
    section = report["by_length"]
    labels = [f"{b} (n={n})" for b, n in zip(section["buckets"], section["n"])]
    traces = []
    for arm in report["arms"]:
        traces += band_traces(labels, section["arms"][arm], arm, arm_colour(arm))
    return figure("Test BLEU by source length (Sutskever et al. 2014, Figure 3)", traces, report["provenance"],
                  xaxis={"title": {"text": "source words"}}, yaxis={"title": {"text": "BLEU"}})  # fmt: skip


def position_figure(report: dict) -> dict:
    section = report["position_loss"]
    x = section["positions"]
    traces = []
    for arm in report["arms"]:
        traces += band_traces(x, section["arms"][arm], arm, arm_colour(arm))
        if arm in section["vs_forward"]:
            traces += band_traces(
                x, section["vs_forward"][arm], f"{arm} - {BASELINE}", arm_colour(arm), "2", False
            )
    layout = panels(["loss by target position", f"difference from {BASELINE}"], ["target position"] * 2,
                    ["cross-entropy (nats)", "nats (below 0: arm better)"])  # fmt: skip
    return figure("Test loss at the first target positions: does reversal help the first words most (3.3)?",
                  traces, report["provenance"], **layout)  # fmt: skip
