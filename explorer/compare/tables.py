"""What the Compare page shows for several runs: curves, BLEU by length, probe scores as tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core.analysis.bootstrap import INTERVAL_NOTE
from core.analysis.suites import STANDARD_SUITES
from core.errors import UserError
from core.run.folder import WEIGHTS, read_metrics
from core.run.listing import RunInfo
from core.run.probe_log import ProbeLog
from explorer import cache

PROBE_SUITES = STANDARD_SUITES  # offered first by Compare
DYNAMICS_NOTE = f"One line per run, scored at each of its dev evaluations. {INTERVAL_NOTE}."


def metrics_by_run(runs: list[RunInfo]) -> dict[str, list[dict]]:
    return {r.name: read_metrics(r.path) for r in runs}


def probe_dynamics_frame(records: dict[str, list[dict]], suite: str) -> pd.DataFrame:
    """The margin-against-step points of one suite, one row per run and evaluation (the CSV export)."""
    columns = ["run", "step", "suite", "n", "margin", "low", "high", "win_rate"]
    rows = [
        {key: r.get(key) for key in columns} | {"run": name}
        for name, recs in records.items()
        for r in ProbeLog.read(recs).curves.get(suite, ())
    ]
    return pd.DataFrame(rows, columns=columns)


def summary_frame(runs: list[RunInfo]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "run": r.name,
                "reversed": {True: "yes", False: "no", None: "?"}[r.reverse_source],
                "state": r.state,
                "step": r.step,
                "data": r.data,
                "dev ppl": None if r.dev_ppl is None else round(r.dev_ppl, 2),
                "dev BLEU": None if r.dev_bleu is None else round(r.dev_bleu, 1),
            }
            for r in runs
        ]
    )


def curve_frame(records: dict[str, list[dict]], key: str, kind: str) -> pd.DataFrame:
    rows = [
        {"run": name, "step": r["step"], key: r[key]}
        for name, recs in records.items()
        for r in recs
        if r.get("kind") == kind and r.get(key) is not None
    ]
    return pd.DataFrame(rows, columns=["run", "step", key])


def with_weights(runs: list[RunInfo]) -> tuple[list[RunInfo], list[str]]:
    """Runs that can be evaluated, and the names of those without a checkpoint yet."""
    ready = [r for r in runs if (r.path / WEIGHTS).is_file()]
    return ready, [r.name for r in runs if r not in ready]


@dataclass(frozen=True)
class TestSplitTable:
    """Every run's first `limit` test pairs translated with `beam` and scored (Figure 3)."""

    __test__ = False  # a result, not a pytest class

    by_length: Mapping[str, list[dict]]  # run -> BLEU per source-length bucket (LengthBucket.to_dict rows)
    table: list[dict]  # one row per run: run, sentences, BLEU, chrF, test ppl, signature (shown as is)
    limit: int
    beam: int


def test_split_table(runs: list[RunInfo], limit: int, beam: int) -> TestSplitTable:
    """Translate and score the first `limit` test pairs of every run (cached per run)."""
    by_length, table = {}, []
    for run in runs:
        result = cache.test_split_scores(*cache.run_key(run.path), limit, beam)
        by_length[run.name] = [bucket.to_dict() for bucket in result.by_length]
        table.append(
            {
                "run": run.name,
                "sentences": result.n,
                "BLEU": round(result.bleu, 2),
                "chrF": round(result.chrf, 2),
                "test ppl": round(result.ppl, 3),
                "signature": result.bleu_signature,
            }
        )
    return TestSplitTable(by_length, table, limit, beam)


def by_length_frame(by_length: dict[str, list[dict]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"run": name, **row} for name, rows in by_length.items() for row in rows],
        columns=["run", "bucket", "n", "bleu"],
    )


@dataclass(frozen=True)
class ProbeScores:
    """Every run on every chosen built-in suite, scored with one vector choice."""

    rows: list[dict]  # one per run and suite: the margin chart's and the table's columns
    results: list[dict]  # ProbeResult.to_dict of each, with its run: the JSON export
    errors: list[str]  # "run on suite: why" for each pair that could not be scored
    state: str
    layers: str


def probe_scores(runs: list[RunInfo], suites: list[str], state: str, layers: str) -> ProbeScores:
    """Score every chosen built-in suite with every run (cached per run and suite)."""
    tables = cache.builtin_suites()
    rows, results, errors = [], [], []
    for run in runs:
        path, mtime = cache.run_key(run.path)
        for name in suites:
            table = tables[name]
            try:
                score = cache.probe_score(path, mtime, cache.suite_key(table), table, state, layers)
            except UserError as err:
                errors.append(f"{run.name} on {name}: {err}")
                continue
            results.append({"run": run.name, **score.to_dict()})
            columns = ("n", "margin", "margin_low", "margin_high", "win_rate", "cos_positive", "cos_negative")
            scored = {column: getattr(score, column) for column in columns}
            rows.append({"run": run.name, "suite": name, **scored, "resampled by": score.design.unit})
    return ProbeScores(rows, results, errors, state, layers)


def probe_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def probe_json(probes: ProbeScores) -> bytes:
    from explorer.export import json_bytes

    return json_bytes({"state": probes.state, "layers": probes.layers, "results": probes.results})
