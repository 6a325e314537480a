"""What the Thought Vectors page computes when asked: for one sentence set and one or two models,
the vectors in shared axes, their similarities and probe scores (a typed Panel; every heavy step
cached in explorer.cache), and the encoder's trajectories."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.analysis.geometry import cosine_matrix, silhouette
from core.errors import UserError
from explorer import cache
from explorer.thought_vectors.sentence_sets import SentenceSet

if TYPE_CHECKING:
    import pandas as pd

    from core.analysis.probe_report import ProbeReport
    from core.analysis.trajectories import TrajectoryMap

HEATMAP_MAX = 60  # sentences in a similarity heatmap (more is unreadable)
METHOD_NAMES = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}


@dataclass(frozen=True)
class MapOptions:
    """How the page maps the vectors: which vector, which projection, how many axes, and how two
    models share them."""

    state: str
    layers: str
    method: str  # pca | umap | tsne
    dims: int  # 2 or 3
    align: str  # procrustes | basis (two models)


@dataclass(frozen=True, eq=False)
class ModelMap:
    """One model's map of a sentence set: where each sentence lands, how faithful the map is, how
    similar the vectors are, and the set's probe score beside its baselines."""

    name: str
    reversed: bool
    step: int
    dim: int  # numbers per sentence (the thought vector's size)
    coords: np.ndarray  # (n, 2) or (n, 3)
    explained_variance: tuple[float, ...] | None  # PCA only: each axis's share
    faithfulness: float  # share of the k nearest neighbours the map keeps
    k: int
    cosine: np.ndarray  # (m, m), the first HEATMAP_MAX sentences
    unknown: tuple[str, ...]  # words of the set the model never saw
    score: ProbeReport | None = None  # a suite's margin and its three baselines
    score_error: str | None = None  # why a suite has no score (e.g. unknown words)
    silhouette: float | None = None  # of the set's groups, cosine

    @property
    def title(self) -> str:
        return f"{self.name} ({'reversed' if self.reversed else 'forward'}, step {self.step})"


@dataclass(frozen=True, eq=False)
class Panel:
    """One sentence set mapped by every chosen model, in shared axes."""

    sentence_set: SentenceSet
    models: tuple[ModelMap, ...]
    method: str  # pca | umap | tsne
    dims: int
    align: str | None  # procrustes | basis between two models; None for one
    state: str
    layers: str
    heatmap_sentences: tuple[str, ...]

    @property
    def title(self) -> str:
        """The map's title: the set, the projection (as the Projection box names it), state and layers."""
        method = METHOD_NAMES.get(self.method, self.method)
        return f"{self.sentence_set.name}: {method} of {self.state}, layers {self.layers}"

    def to_dict(self) -> dict:
        """The probe scores (and map quality) of every model: the JSON export."""
        return {
            "set": self.sentence_set.name,
            "method": self.method,
            "state": self.state,
            "layers": self.layers,
            "align": self.align,
            "models": [
                {
                    "run": m.name,
                    "reverse_source": m.reversed,
                    "step": m.step,
                    "faithfulness": m.faithfulness,
                    "faithfulness_k": m.k,
                    "explained_variance": m.explained_variance,
                    "silhouette": m.silhouette,
                    "probe": m.score.to_dict() if m.score is not None else None,
                }
                for m in self.models
            ],
        }


scores_json = Panel.to_dict  # the "Probe scores (JSON)" export


def compute_panel(sentence_set: SentenceSet, runs: list[Path], options: MapOptions) -> Panel:
    """Vectors of every model, projected into shared axes, with scores."""
    state, layers, dims = options.state, options.layers, options.dims
    align = options.align if len(runs) > 1 else None
    if align and options.method == "tsne":
        align = "procrustes"  # t-SNE cannot place new points in fitted axes
    keys = [cache.run_key(r) for r in runs]
    sentences = sentence_set.sentences
    if len(sentences) < dims:
        raise UserError(f"a {dims}-D map needs at least {dims} sentences, not {len(sentences)}")
    vectors = [cache.embeddings(path, mtime, sentences, state, layers) for path, mtime in keys]
    maps = cache.projections(tuple(vectors), options.method, dims, 0, align or "basis")
    shown = min(len(sentences), HEATMAP_MAX)
    groups = sentence_set.groups
    models = []
    for run, (path, mtime), vecs, projection in zip(runs, keys, vectors, maps):
        model = cache.model(run)
        score = score_error = None
        if sentence_set.table is not None:
            table = sentence_set.table
            try:  # the model's margin and its three baselines
                score, _ = cache.probe_report(path, mtime, cache.suite_key(table), table, state, layers)
            except UserError as err:  # e.g. words the model does not know: the map still shows
                score_error = str(err)
        models.append(
            ModelMap(
                name=model.name,
                reversed=bool(model.model_config.reverse_source),
                step=model.step,
                dim=int(vecs.shape[1]),
                coords=projection.coords,
                explained_variance=projection.explained_variance,
                faithfulness=projection.faithfulness,
                k=projection.k,
                cosine=cosine_matrix(vecs[:shown]),
                unknown=tuple(sorted({w for s in sentences for w in model.src_tok.unknown_words(s)})),
                score=score,
                score_error=score_error,
                silhouette=silhouette(vecs, list(groups)) if 2 <= len(set(groups)) < len(groups) else None,
            )
        )
    return Panel(
        sentence_set=sentence_set,
        models=tuple(models),
        method=options.method,
        dims=dims,
        align=align,
        state=state,
        layers=layers,
        heatmap_sentences=tuple(sentences[:shown]),
    )


def coordinates_frame(panel: Panel, colour_by: str = "group") -> pd.DataFrame:
    """One row per model and sentence: the map coordinates and groups (the CSV export)."""
    import pandas as pd  # loaded by the export only

    s = panel.sentence_set
    groups = s.group_of(colour_by)
    rows = []
    for model in panel.models:
        coords = np.asarray(model.coords)
        axes = "xyz"[: coords.shape[1]]
        for i, sentence in enumerate(s.sentences):
            where = {axis: float(coords[i, k]) for k, axis in enumerate(axes)}
            row = {"model": model.name, "sentence": sentence, "group": groups[i]}
            rows.append(row | {"family": s.families[i], "column": s.columns[i]} | where)
    return pd.DataFrame(rows)


def trajectory_sentences(text: str, limit: int = 8) -> list[str]:
    sentences = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not sentences:
        raise UserError("type at least one sentence to trace")
    if len(sentences) > limit:
        raise UserError(f"{len(sentences)} sentences: trace at most {limit} at a time")
    return sentences


def trajectory_maps(runs: list[Path], sentences: list[str], method: str) -> list[TrajectoryMap]:
    """The encoder's path through its states, token by token, for every sentence and run."""
    keys = [cache.run_key(r) for r in runs]
    return cache.trajectory_maps(
        tuple(k[0] for k in keys), tuple(k[1] for k in keys), tuple(sentences), method
    )
