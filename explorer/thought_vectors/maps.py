"""What the Thought Vectors page computes when asked: vectors, shared maps, similarities and
probe scores for one sentence set and one or two models (every heavy step cached in explorer.cache)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.analysis.geometry import cosine_matrix, silhouette
from core.errors import UserError
from explorer import cache
from explorer.figures_probe import SERIES_STYLE
from explorer.thought_vectors.sentence_sets import SentenceSet

if TYPE_CHECKING:
    import pandas as pd

HEATMAP_MAX = 60  # sentences in a similarity heatmap (more is unreadable)
METHOD_NAMES = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}


def compute_panel(
    sentence_set: SentenceSet, runs: list[Path], state: str, layers: str, method: str, dims: int, align: str
) -> dict:
    """Vectors of every model, projected into shared axes, with scores; a dict for the page to draw."""
    if len(runs) > 1 and method == "tsne":
        align = "procrustes"  # t-SNE cannot place new points in fitted axes
    keys = [cache.run_key(r) for r in runs]
    models = [cache.model(r) for r in runs]
    sentences = sentence_set.sentences
    if len(sentences) < dims:
        raise UserError(f"a {dims}-D map needs at least {dims} sentences, not {len(sentences)}")
    vectors = [cache.embeddings(path, mtime, sentences, state, layers) for path, mtime in keys]
    maps = cache.projections(tuple(vectors), method, dims, 0, align if len(runs) > 1 else "basis")
    shown = min(len(sentences), HEATMAP_MAX)
    out_models = []
    for (path, mtime), model, vecs, proj in zip(keys, models, vectors, maps):
        entry = {
            "name": model.name,
            "reversed": bool(model.model_config.reverse_source),
            "step": model.step,
            "dim": int(vecs.shape[1]),
            "coords": proj["coords"],
            "explained_variance": proj["explained_variance"],
            "faithfulness": proj["faithfulness"],
            "k": proj["k"],
            "cosine": cosine_matrix(vecs[:shown]),
            "unknown": sorted({w for s in sentences for w in model.src_tok.unknown_words(s)}),
            "score": None,
            "score_error": None,
            "silhouette": None,
        }
        if sentence_set.table is not None:
            try:
                entry["score"] = cache.probe_report(  # the model's margin and its three baselines
                    path, mtime, cache.suite_key(sentence_set.table), sentence_set.table, state, layers
                )
            except UserError as err:  # e.g. words the model does not know: the map still shows
                entry["score_error"] = str(err)
        groups = sentence_set.groups
        if 2 <= len(set(groups)) < len(groups):
            entry["silhouette"] = silhouette(vecs, list(groups))
        out_models.append(entry)
    return {
        "set": sentence_set,
        "models": out_models,
        "method": method,
        "dims": dims,
        "align": align if len(runs) > 1 else None,
        "state": state,
        "layers": layers,
        "heatmap_sentences": sentences[:shown],
    }


def panel_title(panel: dict) -> str:
    """The map's title: the set, the projection (as the Projection box names it), state and layers."""
    method = METHOD_NAMES.get(panel["method"], panel["method"])
    return f"{panel['set'].name}: {method} of {panel['state']}, layers {panel['layers']}"


def model_title(entry: dict) -> str:
    direction = "reversed" if entry["reversed"] else "forward"
    return f"{entry['name']} ({direction}, step {entry['step']})"


def coordinates_frame(panel: dict, colour_by: str = "group") -> pd.DataFrame:
    """One row per model and sentence: the map coordinates and groups (the CSV export)."""
    import pandas as pd  # loaded by the export only

    s: SentenceSet = panel["set"]
    rows = []
    for entry in panel["models"]:
        coords = np.asarray(entry["coords"])
        for i, sentence in enumerate(s.sentences):
            row = {"model": entry["name"], "sentence": sentence, "group": s.group_of(colour_by)[i],
                   "family": s.families[i], "column": s.columns[i]}  # fmt: skip
            row |= {axis: float(coords[i, k]) for k, axis in enumerate("xyz"[: coords.shape[1]])}
            rows.append(row)
    return pd.DataFrame(rows)


def scores_json(panel: dict) -> dict:
    """The probe scores (and map quality) of every model: the JSON export."""
    return {
        "set": panel["set"].name,
        "method": panel["method"],
        "state": panel["state"],
        "layers": panel["layers"],
        "align": panel["align"],
        "models": [
            {
                "run": e["name"],
                "reverse_source": e["reversed"],
                "step": e["step"],
                "faithfulness": e["faithfulness"],
                "faithfulness_k": e["k"],
                "explained_variance": e["explained_variance"],
                "silhouette": e["silhouette"],
                "probe": e["score"],
            }
            for e in panel["models"]
        ],
    }


def score_line(score: dict) -> str:
    """One line a reader can take in: margin [interval], win rate, the columns compared."""
    return (
        f"margin **{score['margin']:+.3f}** [{score['margin_low']:+.3f}, {score['margin_high']:+.3f}] · "
        f"cos(anchor, {score['positive']}) {score['cos_positive']:.3f} vs cos(anchor, {score['negative']}) "
        f"{score['cos_negative']:.3f} · {score['positive']} closer in {score['win_rate']:.0%} of {score['n']} families"
        + f" · interval resamples {score['resampling']['described']}"
        + (f" ({score['note']})" if score.get("note") else "")
    )


EVIDENCE_RULE = "evidence of meaning only when it beats all three"


def baseline_line(score: dict) -> str:
    """The same margin for each surface baseline, and the model's lead over the best one."""
    baselines = " · ".join(
        f"{SERIES_STYLE.get(name, (name,))[0]} {b['margin']:+.3f}" for name, b in score["baselines"].items()
    )
    lead = score["lead"]
    over = SERIES_STYLE.get(lead["over"], (lead["over"],))[0]
    return (
        f"Baselines, same margin: {baselines} · lead over the best ({over}): **{lead['margin']:+.3f}** "
        f"[{lead['margin_low']:+.3f}, {lead['margin_high']:+.3f}]"
    )


def evidence_line(score: dict) -> str:
    """The plain sentence: a margin counts only when its lead over every baseline is above zero."""
    verdict = "this margin does" if score["beats_baselines"] else "this margin does not"
    return f"{EVIDENCE_RULE.capitalize()} (each lead's interval above zero): {verdict}."


def trajectory_sentences(text: str, limit: int = 8) -> list[str]:
    sentences = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not sentences:
        raise UserError("type at least one sentence to trace")
    if len(sentences) > limit:
        raise UserError(f"{len(sentences)} sentences: trace at most {limit} at a time")
    return sentences


def trajectory_maps(runs: list[Path], sentences: list[str], method: str) -> list:
    keys = [cache.run_key(r) for r in runs]
    return cache.trajectory_maps(
        tuple(k[0] for k in keys), tuple(k[1] for k in keys), tuple(sentences), method
    )
