"""The encoder's path: its top-layer state after each token it reads, drawn in 2-D.

For each run, one projector is fitted on all the states of all the sentences' paths, so every
path of that run shares the same axes and ends at the sentence's thought vector (top layer).
Two runs (e.g. reversed and forward source, Sutskever et al. 2014, 3.3) live in different
spaces; the second run's map is rotated/scaled/shifted onto the first's by a Procrustes fit of
the paths' end points (the same sentences), so the two pictures can be laid over each other.

    maps = trajectory_maps([reversed_run, forward_run], ["John admires Mary", ...])
    maps[0] == {"run": "tiny-rev", "reverse_source": True, "sentence": "John admires Mary",
                "tokens": ["Mary", "admires", "John"],      # in the order the encoder read them
                "coords": array (n_tokens, n_components), "explained_variance": (..) | None,
                "faithfulness": 0.9, "alignment_disparity": None}   # (0..1) for later runs
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from core.analysis.probe_scores import run_labels
from core.analysis.projection import procrustes_fit, project
from core.errors import UserError
from core.run.loaded import LoadedRun
from core.vectors import token_states


@dataclass(frozen=True, eq=False)
class TrajectoryMap:
    """One sentence's path through one run's state space, in axes shared by all its sentences."""

    run: str  # the run's label (core.analysis.probe_scores.run_labels: two copies keep two names)
    reverse_source: bool  # the tokens are as the encoder read them: reversed if it reverses
    sentence: str
    tokens: list[str]  # (n_tokens,)
    coords: np.ndarray  # (n_tokens, k) float32
    explained_variance: tuple[float, ...] | None  # PCA only: the share of variance of each axis
    faithfulness: float  # share of nearest neighbours the map keeps (core.analysis.projection)
    alignment_disparity: float | None  # Procrustes residual onto the first run; None for the first

    def to_dict(self) -> dict:
        return asdict(self)


def trajectory_maps(
    runs: Sequence[LoadedRun],
    sentences: Sequence[str],
    method: str = "pca",
    seed: int = 0,
    state: str = "h",
    n_components: int = 2,
    align: bool = True,
) -> list[TrajectoryMap]:
    """One map per run per sentence (run-major): tokens as read and their coords (n_tokens, k).

    `align`: map every run after the first onto the first by the paths' end points (needs at
    least 2 sentences; with 3 or more the fit is meaningful).
    """
    if not runs:
        raise UserError("give at least one run")
    if not sentences:
        raise UserError("give at least one sentence to trace")
    out: list[TrajectoryMap] = []
    reference_ends = None
    for name, run in zip(run_labels(runs), runs):
        paths = token_states(run, list(sentences), state=state)
        states = np.concatenate([p.states for p in paths])  # (total tokens, d)
        projection = project(states, method, n_components, seed)
        coords = projection.coords.astype(np.float64)
        bounds = np.cumsum([0] + [len(p.tokens) for p in paths])
        ends = coords[bounds[1:] - 1]  # each path's last point: the sentence's top-layer state
        disparity = None
        if reference_ends is None:
            reference_ends = ends
        elif align and len(sentences) >= 2:
            coords, disparity = _align(coords, ends, reference_ends)
        for i, (sentence, path) in enumerate(zip(sentences, paths)):
            points = coords[bounds[i] : bounds[i + 1]].astype(np.float32)
            out.append(
                TrajectoryMap(
                    name,
                    bool(run.model_config.reverse_source),
                    sentence,
                    list(path.tokens),
                    points,
                    projection.explained_variance,
                    projection.faithfulness,
                    disparity,
                )
            )
    return out


def _align(coords: np.ndarray, ends: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, float | None]:
    """Apply to all points the similarity transform that takes `ends` onto `reference`."""
    if np.allclose(ends, ends.mean(0)) or np.allclose(reference, reference.mean(0)):
        return coords, None  # coinciding end points: nothing to fit
    transform, disparity = procrustes_fit(ends, reference)
    return transform(coords), disparity
