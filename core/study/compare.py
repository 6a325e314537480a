"""What a report keeps of each run to compare across runs: the CKA sentences' vectors (read
against seeds in core.study.cka_seeds) and Figure 2's, drawn as maps in shared axes.

Runs are loaded one at a time (a paper-sized model is large); what crosses runs are the
vectors kept here: per run, per state, one (n, H) array per layer of the same n sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.analysis.cka import STATES, layer_vectors
from core.analysis.projection import project_sets
from core.analysis.suites import builtin_suites
from core.run.loaded import LoadedRun
from core.vectors import encode

CKA_SENTENCES = 500  # test sources CKA is computed on: enough for a stable value, seconds to encode
FIGURE2_SUITES = ("figure2_left", "figure2_right")  # Sutskever et al. 2014, Figure 2's two panels
LayerVectors = dict[str, list[np.ndarray]]  # state -> one (n, H) array per layer


def cka_vectors(run: LoadedRun, sentences: Sequence[str]) -> LayerVectors:
    return {state: layer_vectors(run, sentences, state) for state in STATES}


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
