"""Every st.cache_resource / st.cache_data wrapper of the app, in one place.

Models: st.cache_resource keyed by the run path and the mtime of model.safetensors, so each run
is loaded once per checkpoint and shared by every rerun, page and browser tab (read-only: nothing
here trains). Arrays and tables: st.cache_data, keyed by the same (path, mtime) plus the inputs.

Each wrapper imports the engine it calls when it is called (torch, scikit-learn and UMAP load on
the first computation, not with the page: tests/test_first_paint.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import streamlit as st

from core.config.search import SearchConfig
from core.corpus.description import CorpusSummary, corpus_stats
from core.run.data import run_data
from core.run.folder import WEIGHTS, resolve_run

if TYPE_CHECKING:
    from core.analysis.attention import AttentionMap
    from core.analysis.probe_report import ProbeReport, TagSplit
    from core.analysis.probe_scores import GeometryResult, ProbeResult
    from core.analysis.projection import Projection
    from core.analysis.surgery import OffsetEdit, PathPoint
    from core.analysis.trajectories import TrajectoryMap
    from core.corpus.probe_suite import ProbeTable
    from core.evaluation import TestScores
    from core.run.loaded import LoadedRun

PREVIEW_ROWS = 200


def run_key(run: str | Path) -> tuple[str, float]:
    """(absolute path, weights mtime): the cache key of a run's current checkpoint."""
    path = resolve_run(run).resolve()
    return str(path), (path / WEIGHTS).stat().st_mtime


@st.cache_resource(max_entries=4, show_spinner="Loading the model…")  # a paper-size model is ~1 GB
def _load(path: str, mtime: float) -> LoadedRun:
    from core.run.loaded import load_run

    return load_run(path)


def model(run: str | Path) -> LoadedRun:
    """The run's model, loaded once per checkpoint (a missing run is a UserError)."""
    return _load(*run_key(run))


@st.cache_resource(show_spinner=False)
def device_name() -> str:
    from core.device import describe, pick_device

    return describe(pick_device("auto"))


@st.cache_data(max_entries=64, show_spinner="Translating…")
def translations(
    path: str, mtime: float, sentences: tuple[str, ...], beam: int, nbest: int, length_penalty: float
) -> list:
    from core.translate import translate

    config = SearchConfig(beam=beam, nbest=min(nbest, beam), length_penalty=length_penalty)
    return translate(_load(path, mtime), list(sentences), config)


@st.cache_data(max_entries=16, show_spinner="Reading the corpus…")
def corpus(path: str, tgt_path: str | None, mtime: float) -> CorpusSummary:
    """Validate and summarise a corpus file (or Moses pair): the engine's UserError if it is not one."""
    from core.corpus.readers import read_parallel_with_report

    pairs, report = read_parallel_with_report(path, tgt_path)
    return CorpusSummary(corpus_stats(pairs), tuple(pairs[:PREVIEW_ROWS]), report=report)


@st.cache_data(max_entries=8, show_spinner="Generating the built-in corpus…")
def grammar_corpus(n_pairs: int) -> CorpusSummary:
    from core.corpus.grammar import generate_corpus

    data = generate_corpus(n_pairs=n_pairs, seed=0)
    return CorpusSummary(
        corpus_stats(data.train + data.dev + data.test),
        tuple(data.train[:PREVIEW_ROWS]),
        splits=(len(data.train), len(data.dev), len(data.test)),
        n_suites=len(data.probes),
    )


@st.cache_data(max_entries=32, show_spinner="Translating the test split…")
def test_split_scores(path: str, mtime: float, limit: int, beam: int) -> TestScores:
    """core.evaluation on the first `limit` pairs of the run's own test split (Figure 3)."""
    from core.errors import UserError
    from core.evaluation import evaluate_pairs

    run = _load(path, mtime)
    test = run_data(path, run.config).test
    if not test:
        raise UserError(f"run {Path(path).name}'s data ({run.config.data.spec}) has no test split to score")
    return evaluate_pairs(run, test[:limit], SearchConfig(beam=beam))


def clear() -> None:
    """Forget every cached model and result (tests; the Home page's "reload" button)."""
    st.cache_data.clear()
    st.cache_resource.clear()


# --- thought vectors (core.analysis) -------------------------------------------------------


def suite_key(table) -> str:
    """A short cache key for a probe table (its TSV text, hashed)."""
    import hashlib

    return f"{table.name}:{hashlib.sha1(table.to_tsv().encode()).hexdigest()[:12]}"


@st.cache_resource(show_spinner=False)
def builtin_suites() -> Mapping[str, ProbeTable]:
    """The built-in suites by name, read-only: one object shared by every session of the server."""
    from core.analysis.suites import builtin_suites

    return MappingProxyType(builtin_suites())


@st.cache_data(max_entries=64, show_spinner="Encoding the sentences…")
def embeddings(path: str, mtime: float, sentences: tuple[str, ...], state: str, layers: str):
    """(n, d) float32 thought vectors of a run's checkpoint."""
    from core.vectors import encode

    return encode(_load(path, mtime), list(sentences), state=state, layers=layers)


@st.cache_data(max_entries=32, show_spinner="Projecting…")
def projections(sets: tuple, method: str, n_components: int, seed: int, align: str) -> list[Projection]:
    """Vector sets (one per model, same sentences) in shared axes: one Projection per set."""
    from core.analysis.projection import project_sets

    return list(project_sets(list(sets), method=method, n_components=n_components, seed=seed, align=align))


@st.cache_data(max_entries=64, show_spinner="Scoring the probe suite…")
def probe_score(path: str, mtime: float, table_key: str, _table, state: str, layers: str) -> ProbeResult:
    """score_suite with the suite's default roles."""
    from core.analysis.probe_scores import score_suite
    from core.analysis.probe_settings import ProbeSettings

    return score_suite(_load(path, mtime), _table, ProbeSettings(state=state, layers=layers))


@st.cache_data(max_entries=32, show_spinner="Training linear probes…")
def suite_geometry(
    path: str, mtime: float, table_key: str, _table, probe_columns: tuple[str, str], state: str, layers: str
) -> GeometryResult:
    from core.analysis.probe_scores import suite_geometry as geometry
    from core.analysis.probe_settings import ProbeSettings

    return geometry(_load(path, mtime), _table, ProbeSettings(state=state, layers=layers), probe_columns)


@st.cache_data(max_entries=16, show_spinner="Tracing the encoder's path…")
def trajectory_maps(
    paths: tuple[str, ...], mtimes: tuple[float, ...], sentences: tuple[str, ...], method: str
) -> list[TrajectoryMap]:
    from core.analysis import trajectories as core_trajectories

    runs = [_load(p, m) for p, m in zip(paths, mtimes)]
    return core_trajectories.trajectory_maps(runs, list(sentences), method=method)


@st.cache_resource(max_entries=4, show_spinner="Encoding the run's dev and test sentences…")
def neighbour_index(path: str, mtime: float, limit: int, state: str, layers: str):
    """A NeighbourIndex over (at most `limit`) distinct dev and test sources of the run's data."""
    from core.analysis.neighbours import NeighbourIndex

    run = _load(path, mtime)
    data = run_data(path, run.config)
    sentences = list(dict.fromkeys(s for s, _ in data.dev + data.test))[:limit]
    return NeighbourIndex(run, sentences, state=state, layers=layers)


@st.cache_data(max_entries=32, show_spinner="Decoding along the line…")
def interpolation(
    path: str, mtime: float, source: str, target: str, steps: int, beam: int
) -> list[PathPoint]:
    from core.analysis.surgery import interpolate

    return interpolate(_load(path, mtime), source, target, steps=steps, beam=beam)


@st.cache_data(max_entries=32, show_spinner="Adding the offset and decoding…")
def offset_edit(
    path: str,
    mtime: float,
    table_key: str,
    _table,
    sentence: str,
    scale: float,
    from_column: str,
    to_column: str,
) -> OffsetEdit:
    from core.analysis.surgery import offset_and_decode

    return offset_and_decode(
        _load(path, mtime), _table, sentence, scale=scale, from_column=from_column, to_column=to_column
    )


# --- training processes (explorer.jobs) ----------------------------------------------------


@st.cache_resource(show_spinner=False)
def training_processes():
    """The server's one explorer.jobs.TrainingProcesses: the trainers it started, for every session."""
    from explorer.jobs import TrainingProcesses

    return TrainingProcesses()


@st.cache_data(max_entries=64, show_spinner="Reading the attention weights…")
def attention_map(path: str, mtime: float, sentence: str, beam: int) -> AttentionMap:
    """core.analysis.attention of one sentence: its tokens, weights and translation."""
    from core.analysis.attention import attention_map as weights_of

    return weights_of(_load(path, mtime), sentence, SearchConfig(beam=beam))


# --- probe reports: margins beside the surface baselines (core.analysis.probe_report) ---------


@st.cache_data(max_entries=32, show_spinner="Scoring the suite and its three baselines…")
def probe_report(
    path: str, mtime: float, table_key: str, _table, state: str, layers: str, tags: tuple[str, ...] = ()
) -> tuple[ProbeReport, tuple[TagSplit, ...]]:
    """report_suite(...) (the model beside its three baselines), and its split by each of `tags`."""
    from core.analysis.probe_report import report_suite
    from core.analysis.probe_settings import ProbeSettings

    report = report_suite(_load(path, mtime), _table, ProbeSettings(state=state, layers=layers))
    return report, tuple(report.split(_table, tag) for tag in tags)


# --- Home's estimate of Reproduce Figure 2 (explorer.home.figure2_estimate) ------------------------


@st.cache_data(ttl=600, show_spinner="Timing a few training steps on this machine…")
def figure2_seconds_per_step(preset: str, src_vocab: int | None, tgt_vocab: int | None) -> float:
    """One optimizer step of a Figure 2 run (preset `preset`, one thread), timed now on batches of
    the built-in grammar's mean sentence lengths; vocabularies as the demo pair's (None: the
    grammar sample's words). Measured again after ten minutes: the machine's load changes."""
    import statistics

    from core.config.model import ModelConfig
    from core.config.training import TrainConfig
    from core.corpus.grammar import generate_corpus
    from core.training.presets import get_preset
    from core.training.speed import seconds_per_step

    sample = generate_corpus(n_pairs=500, seed=0).train
    src_len = round(statistics.mean(len(s.split()) for s, _ in sample))
    tgt_len = round(statistics.mean(len(t.split()) for _, t in sample)) + 1  # EOS
    words = [len({w for pair in sample for w in pair[side].split()}) + 4 for side in (0, 1)]  # + specials
    chosen = get_preset(preset)
    model = ModelConfig(src_vocab=src_vocab or words[0], tgt_vocab=tgt_vocab or words[1], **chosen.model)
    return seconds_per_step(model, TrainConfig(**chosen.train), src_len, tgt_len, threads=1)
