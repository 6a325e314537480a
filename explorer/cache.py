"""Every st.cache_resource / st.cache_data wrapper of the app, in one place.

Models: st.cache_resource keyed by the run path and the mtime of model.safetensors, so each run
is loaded once per checkpoint and shared by every rerun, page and browser tab (read-only: nothing
here trains). Arrays and tables: st.cache_data, keyed by the same (path, mtime) plus the inputs.

Each wrapper imports the engine it calls when it is called (torch, scikit-learn and UMAP load on
the first computation, not with the page: tests/test_first_paint.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from core.config.search import SearchConfig
from core.corpus.description import corpus_stats
from core.run.data import run_data
from core.run.folder import WEIGHTS, resolve_run

if TYPE_CHECKING:
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
def corpus(path: str, tgt_path: str | None, mtime: float) -> dict:
    """Validate and summarise a corpus file (or Moses pair): the engine's UserError if it is not one."""
    from core.corpus.readers import read_parallel_with_report

    pairs, report = read_parallel_with_report(path, tgt_path)
    return {"preview": pairs[:PREVIEW_ROWS], "report": report, "stats": corpus_stats(pairs)}


def corpus_of(spec: str) -> dict:
    """corpus() for a saved --data spec (a TSV path or SRC,TGT), keyed by the file's mtime."""
    from explorer.corpora.upload import spec_files

    src, tgt = spec_files(spec)
    return corpus(src, tgt, Path(src).stat().st_mtime)


@st.cache_data(max_entries=8, show_spinner="Generating the built-in corpus…")
def grammar_corpus(n_pairs: int) -> dict:
    from core.corpus.grammar import generate_corpus

    data = generate_corpus(n_pairs=n_pairs, seed=0)
    pairs = data.train + data.dev + data.test
    return {
        "preview": data.train[:PREVIEW_ROWS],
        "splits": {"train": len(data.train), "dev": len(data.dev), "test": len(data.test)},
        "stats": corpus_stats(pairs),
        "suites": {name: len(suite.rows) for name, suite in data.probes.items()},
    }


@st.cache_data(max_entries=32, show_spinner="Translating the test split…")
def test_split_scores(path: str, mtime: float, limit: int, beam: int) -> dict:
    """core.evaluation on the first `limit` pairs of the run's own test split (Figure 3)."""
    from core.errors import UserError
    from core.evaluation import evaluate_pairs

    run = _load(path, mtime)
    test = run_data(path, run.config).test
    if not test:
        raise UserError(f"run {Path(path).name}'s data ({run.config.data.spec}) has no test split to score")
    return evaluate_pairs(run, test[:limit], SearchConfig(beam=beam)).to_dict()


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
def builtin_suites() -> dict:
    from core.analysis.suites import builtin_suites

    return builtin_suites()


@st.cache_data(max_entries=64, show_spinner="Encoding the sentences…")
def embeddings(path: str, mtime: float, sentences: tuple[str, ...], state: str, layers: str):
    """(n, d) float32 thought vectors of a run's checkpoint."""
    from core.vectors import encode

    return encode(_load(path, mtime), list(sentences), state=state, layers=layers)


@st.cache_data(max_entries=32, show_spinner="Projecting…")
def projections(sets: tuple, method: str, n_components: int, seed: int, align: str) -> list[dict]:
    """Vector sets (one per model, same sentences) in shared axes: coords, explained variance, faithfulness."""
    from core.analysis.projection import project_sets

    maps = project_sets(list(sets), method=method, n_components=n_components, seed=seed, align=align)
    return [
        {
            "coords": p.coords,
            "explained_variance": p.explained_variance,
            "faithfulness": p.faithfulness,
            "k": p.k,
        }
        for p in maps
    ]


@st.cache_data(max_entries=64, show_spinner="Scoring the probe suite…")
def probe_score(path: str, mtime: float, table_key: str, _table, state: str, layers: str) -> dict:
    """score_suite with the suite's default roles, as a dict (ProbeResult.to_dict)."""
    from core.analysis.probe_scores import score_suite
    from core.analysis.probe_settings import ProbeSettings

    return score_suite(_load(path, mtime), _table, ProbeSettings(state=state, layers=layers)).to_dict()


@st.cache_data(max_entries=32, show_spinner="Training linear probes…")
def suite_geometry(
    path: str, mtime: float, table_key: str, _table, probe_columns: tuple[str, str], state: str, layers: str
) -> dict:
    from core.analysis.probe_scores import suite_geometry as geometry
    from core.analysis.probe_settings import ProbeSettings

    return geometry(
        _load(path, mtime), _table, ProbeSettings(state=state, layers=layers), probe_columns
    ).to_dict()


@st.cache_data(max_entries=16, show_spinner="Tracing the encoder's path…")
def trajectory_maps(
    paths: tuple[str, ...], mtimes: tuple[float, ...], sentences: tuple[str, ...], method: str
) -> list[dict]:
    from core.analysis import trajectories as core_trajectories

    runs = [_load(p, m) for p, m in zip(paths, mtimes)]
    return [m.to_dict() for m in core_trajectories.trajectory_maps(runs, list(sentences), method=method)]


@st.cache_resource(max_entries=4, show_spinner="Encoding the run's dev and test sentences…")
def neighbour_index(path: str, mtime: float, limit: int, state: str, layers: str):
    """A NeighbourIndex over (at most `limit`) distinct dev and test sources of the run's data."""
    from core.analysis.neighbours import NeighbourIndex

    run = _load(path, mtime)
    data = run_data(path, run.config)
    sentences = list(dict.fromkeys(s for s, _ in data.dev + data.test))[:limit]
    return NeighbourIndex(run, sentences, state=state, layers=layers)


@st.cache_data(max_entries=32, show_spinner="Decoding along the line…")
def interpolation(path: str, mtime: float, source: str, target: str, steps: int, beam: int) -> list[dict]:
    from core.analysis.surgery import interpolate

    return [p.to_dict() for p in interpolate(_load(path, mtime), source, target, steps=steps, beam=beam)]


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
) -> dict:
    from core.analysis.surgery import offset_and_decode

    return offset_and_decode(
        _load(path, mtime), _table, sentence, scale=scale, from_column=from_column, to_column=to_column
    ).to_dict()


# --- training processes (explorer.jobs) ----------------------------------------------------


@st.cache_resource(show_spinner=False)
def training_processes():
    """The server's one explorer.jobs.TrainingProcesses: the trainers it started, for every session."""
    from explorer.jobs import TrainingProcesses

    return TrainingProcesses()


@st.cache_data(max_entries=64, show_spinner="Reading the attention weights…")
def attention_map(path: str, mtime: float, sentence: str, beam: int) -> dict:
    """core.analysis.attention of one sentence: {"source", "target", "weights", "translation"}."""
    from core.analysis.attention import attention_map as weights_of

    m = weights_of(_load(path, mtime), sentence, SearchConfig(beam=beam))
    return {"source": m.source, "target": m.target, "weights": m.weights, "translation": m.translation}


# --- probe reports: margins beside the surface baselines (core.analysis.probe_report) ---------


@st.cache_data(max_entries=32, show_spinner="Scoring the suite and its three baselines…")
def probe_report(
    path: str, mtime: float, table_key: str, _table, state: str, layers: str, tags: tuple[str, ...] = ()
) -> dict:
    """report_suite(...).to_dict() (the model, "baselines", "lead", "beats_baselines", "reading"),
    with "by_tag": {tag: ProbeReport.split(table, tag)} for each of `tags`."""
    from core.analysis.probe_report import report_suite
    from core.analysis.probe_settings import ProbeSettings

    report = report_suite(_load(path, mtime), _table, ProbeSettings(state=state, layers=layers))
    return {**report.to_dict(), "by_tag": {tag: report.split(_table, tag).to_dict() for tag in tags}}


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
