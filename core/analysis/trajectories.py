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

import numpy as np

from core.analysis.probe_scores import run_labels
from core.analysis.projection import procrustes_fit, project
from core.errors import UserError
from core.run.loaded import LoadedRun
from core.vectors import token_states


def trajectory_maps(
    runs: Sequence[LoadedRun],
    sentences: Sequence[str],
    method: str = "pca",
    seed: int = 0,
    state: str = "h",
    n_components: int = 2,
    align: bool = True,
) -> list[dict]:
    """One dict per run per sentence (run-major): tokens as read and their coords (n_tokens, k).

    `align`: map every run after the first onto the first by the paths' end points (needs at
    least 2 sentences; with 3 or more the fit is meaningful).
    """
    if not runs:
        raise UserError("give at least one run")
    if not sentences:
        raise UserError("give at least one sentence to trace")
    out: list[dict] = []
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
            out.append({
                "run": name,
                "reverse_source": bool(run.model_config.reverse_source),
                "sentence": sentence,
                "tokens": list(path.tokens),
                "coords": coords[bounds[i] : bounds[i + 1]].astype(np.float32),
                "explained_variance": projection.explained_variance,
                "faithfulness": projection.faithfulness,
                "alignment_disparity": disparity,
            })  # fmt: skip
    return out


def _align(coords: np.ndarray, ends: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, float | None]:
    """Apply to all points the similarity transform that takes `ends` onto `reference`."""
    if np.allclose(ends, ends.mean(0)) or np.allclose(reference, reference.mean(0)):
        return coords, None  # coinciding end points: nothing to fit
    transform, disparity = procrustes_fit(ends, reference)
    return transform(coords), disparity
