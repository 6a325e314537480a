"""What a report keeps of each run to compare across runs: the CKA sentences' vectors (read
against seeds in core.study.cka_seeds) and Figure 2's, drawn as maps in shared axes.

Runs are loaded one at a time (a paper-sized model is large); what crosses runs are the
vectors kept here: per run, per state, one (n, H) array per layer of the same n sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from core.analysis.cka import STATES, layer_vectors
from core.analysis.projection import project_sets
from core.analysis.suites import builtin_suites
from core.run.loaded import LoadedRun
from core.vectors import encode

CKA_SENTENCES = 500  # test sources CKA is computed on: enough for a stable value, seconds to encode
FIGURE2_SUITES = ("figure2_left", "figure2_right")  # Sutskever et al. 2014, Figure 2's two panels
FIGURE2_METHOD = "PCA of each arm, rotated and scaled onto forward's map (Procrustes)"
LayerVectors = dict[str, list[np.ndarray]]  # state -> one (n, H) array per layer


def cka_vectors(run: LoadedRun, sentences: Sequence[str]) -> LayerVectors:
    return {state: layer_vectors(run, sentences, state) for state in STATES}


def figure2_vectors(run: LoadedRun) -> dict[str, np.ndarray]:
    """{suite: (n, d) full thought vectors (h and c of every layer) of the suite's sentences}."""
    tables = builtin_suites()
    return {name: encode(run, tables[name].sentences()) for name in FIGURE2_SUITES}


@dataclass(frozen=True)
class Figure2Map:
    """One arm's map of one Figure 2 suite: a point per sentence, with its column and family."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    text: tuple[str, ...]  # the sentences
    column: tuple[str, ...]  # each sentence's variant column of the suite
    family: tuple[str, ...]
    explained: tuple[float, ...]  # the share of variance of each PCA component

    def to_dict(self) -> dict:
        points = {"x": list(self.x), "y": list(self.y), "text": list(self.text)}
        return {
            **points,
            "column": list(self.column),
            "family": list(self.family),
            "explained": list(self.explained),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Figure2Map:
        return cls(*(tuple(d[k]) for k in ("x", "y", "text", "column", "family", "explained")))


@dataclass(frozen=True)
class Figure2Maps:
    """Figure 2's panels for one seed of every arm."""

    seed: int
    method: str
    maps: Mapping[str, Mapping[str, Figure2Map]]  # suite -> arm -> map

    def to_dict(self) -> dict:
        maps = {suite: {arm: m.to_dict() for arm, m in arms.items()} for suite, arms in self.maps.items()}
        return {"seed": self.seed, "method": self.method, "maps": maps}

    @classmethod
    def from_dict(cls, d: dict) -> Figure2Maps:
        maps = {
            suite: {arm: Figure2Map.from_dict(m) for arm, m in arms.items()}
            for suite, arms in d["maps"].items()
        }
        return cls(d["seed"], d["method"], maps)


def figure2_maps(vectors: Mapping[str, Mapping[str, np.ndarray]], seed: int = 0) -> Figure2Maps:
    """{arm: figure2_vectors} of one seed -> the maps of every suite and arm. PCA per arm, then each
    arm's map rotated and scaled onto the first arm's (Procrustes): different models' vectors live
    in different spaces, so one PCA basis fitted on one of them would mean nothing for the others;
    the same sentences make the maps comparable."""
    tables = builtin_suites()
    arms = list(vectors)
    out = {}
    for name in FIGURE2_SUITES:
        table = tables[name]
        maps = project_sets([vectors[arm][name] for arm in arms], "pca", 2, seed, align="procrustes")
        columns = tuple(column for _ in table.rows for column in table.columns)
        families = tuple(family for family in table.families for _ in table.columns)
        out[name] = {
            arm: Figure2Map(
                tuple(float(v) for v in m.coords[:, 0]),
                tuple(float(v) for v in m.coords[:, 1]),
                tuple(table.sentences()),
                columns,
                families,
                tuple(m.explained_variance or ()),
            )
            for arm, m in zip(arms, maps)
        }
    return Figure2Maps(seed, FIGURE2_METHOD, out)
