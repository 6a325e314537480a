"""Numbers across runs: CKA between arms against the seed baseline, and Figure 2 maps in shared axes.

Runs are loaded one at a time (a paper-sized model is large); what crosses runs are the
vectors kept here: per run, per state, one (n, H) array per layer of the same n sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np

from core.analysis.cka import STATES, cross_layer_cka, layer_vectors, layers_match, linear_cka
from core.analysis.projection import project_sets
from core.analysis.suites import builtin_suites
from core.run.loaded import LoadedRun
from core.study.stats import estimate
from core.vectors import encode

CKA_SENTENCES = 500  # test sources CKA is computed on: enough for a stable value, seconds to encode
FIGURE2_SUITES = ("figure2_left", "figure2_right")  # Sutskever et al. 2014, Figure 2's two panels
CKA_RANGE = (0.0, 1.0)
LayerVectors = dict[str, list[np.ndarray]]  # state -> one (n, H) array per layer


def cka_vectors(run: LoadedRun, sentences: Sequence[str]) -> LayerVectors:
    return {state: layer_vectors(run, sentences, state) for state in STATES}


def cka_table(
    vectors: dict[tuple[str, int], LayerVectors], arms: Sequence[str], seeds: Sequence[int]
) -> dict:
    """CKA of the same layer and state between runs.

    between_arms: arm a vs arm b of the same seed, a mean over seeds.
    seed_baseline: seed s vs seed s' of the same arm, a mean over seed pairs (one pair: no interval).
    layer_match: Kornblith et al.'s check on each seed pair of an arm: is every layer most like
    the same layer of the other seed?
    """
    between, baseline, match = [], [], []
    for a, b in combinations(arms, 2):
        paired = [s for s in seeds if (a, s) in vectors and (b, s) in vectors]
        for state in STATES:
            for layer in range(_layers(vectors)):
                values = [
                    linear_cka(vectors[a, s][state][layer], vectors[b, s][state][layer]) for s in paired
                ]
                between.append(
                    {"a": a, "b": b, "state": state, "layer": layer, **estimate(values, CKA_RANGE).to_dict()}
                )
    for arm in arms:
        pairs = list(combinations([s for s in seeds if (arm, s) in vectors], 2))
        for state in STATES:
            matrices = {
                p: cross_layer_cka(vectors[arm, p[0]][state], vectors[arm, p[1]][state]) for p in pairs
            }
            for layer in range(_layers(vectors)):
                values = [float(m[layer, layer]) for m in matrices.values()]
                baseline.append(
                    {"arm": arm, "state": state, "layer": layer, **estimate(values, CKA_RANGE).to_dict()}
                )
            match += [
                {"arm": arm, "state": state, "seeds": list(p), "matrix": m.tolist(), "match": layers_match(m)}
                for p, m in matrices.items()
            ]
    return {"between_arms": between, "seed_baseline": baseline, "layer_match": match}


def _layers(vectors: dict) -> int:
    return min((len(v[STATES[0]]) for v in vectors.values()), default=0)


def figure2_vectors(run: LoadedRun) -> dict[str, np.ndarray]:
    """{suite: (n, d) full thought vectors (h and c of every layer) of the suite's sentences}."""
    tables = builtin_suites()
    return {name: encode(run, tables[name].sentences()) for name in FIGURE2_SUITES}


def figure2_maps(vectors: dict[str, dict[str, np.ndarray]], seed: int = 0) -> dict:
    """{arm: figure2_vectors} of one seed -> {suite: {arm: {"x", "y", "text", "column", "family",
    "explained"}}}. PCA per arm, then each arm's map rotated and scaled onto the first arm's
    (Procrustes): different models' vectors live in different spaces, so one PCA basis fitted
    on one of them would mean nothing for the others; the same sentences make the maps comparable."""
    tables = builtin_suites()
    arms = list(vectors)
    out = {}
    for name in FIGURE2_SUITES:
        table = tables[name]
        maps = project_sets([vectors[arm][name] for arm in arms], "pca", 2, seed, align="procrustes")
        columns = [column for _ in table.rows for column in table.columns]
        families = [family for family in table.families for _ in table.columns]
        out[name] = {
            arm: {
                "x": [float(v) for v in m.coords[:, 0]],
                "y": [float(v) for v in m.coords[:, 1]],
                "text": table.sentences(),
                "column": columns,
                "family": families,
                "explained": list(m.explained_variance or ()),
            }
            for arm, m in zip(arms, maps)
        }
    return out
