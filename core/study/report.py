"""report.json from a study folder: every finished run measured the same way, then per arm.

Runs are visited one at a time; each run's measurements are kept in measures/ARM-sSEED.json
and reused while the run's weights and the settings are unchanged, so a report over a
growing study only measures the new runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from core import atomic
from core.analysis.centring import reference_sentences
from core.errors import UserError
from core.model import ModelConfig
from core.options import Range
from core.run.config import RunConfig
from core.run.data import run_data
from core.run.folder import STATUS, WEIGHTS, read_json
from core.run.loaded import load_run
from core.study import aggregate
from core.study.arms import BASELINE
from core.study.compare import CKA_SENTENCES, cka_table, cka_vectors, figure2_maps, figure2_vectors
from core.study.curves import probe_curves, run_curves
from core.study.layout import MEASURES, REPORT_HTML, REPORT_JSON, RUNS, read_study, run_folder, run_name
from core.study.measure import MeasureConfig, measure_run
from core.study.provenance import config_hash, describe_initial_weights, initial_weights
from core.study.summary import summarise

REPORT_VERSION = 1
BLEU_THRESHOLD = Range(low=0, low_open=True, high=100, text="above 0 and at most 100")  # 0: reached at step 0
FIGURE2_METHOD = "PCA of each arm, rotated and scaled onto forward's map (Procrustes)"


@dataclass(frozen=True)
class ReportConfig:
    measure: MeasureConfig = field(default_factory=MeasureConfig)
    bleu_threshold: float | None = (
        None  # dev BLEU the "steps to reach" table uses; None: 90% of the weakest arm's
    )
    cka_sentences: int = CKA_SENTENCES  # test sources CKA and nothing else is computed on
    device: str = "auto"

    def __post_init__(self):
        if self.bleu_threshold is not None and not BLEU_THRESHOLD.contains(self.bleu_threshold):
            raise UserError(
                f"--bleu-threshold is a dev BLEU {BLEU_THRESHOLD.describe()}, not {self.bleu_threshold}"
            )
        if self.cka_sentences < 2:
            raise UserError(f"--cka-sentences must be at least 2, not {self.cka_sentences}")


def finished(run: Path) -> bool:
    return read_json(run / STATUS).get("state") == "finished" and (run / WEIGHTS).is_file()


def _measure_cached(study: Path, name: str, run, data, config: ReportConfig, reference) -> dict:
    """measure_run, or its stored result when the weights and settings are the same."""
    weights = (run.path / WEIGHTS).stat()
    key = {
        "step": run.step,
        "weights": [weights.st_size, weights.st_mtime_ns],
        "settings": config.measure.to_dict(),
    }
    path = study / MEASURES / f"{name}.json"
    stored = read_json(path)
    if stored.get("key") == key:
        return stored["result"]
    result = measure_run(run, data, config.measure, reference)
    atomic.write_json(path, {"key": key, "result": _json_safe(result)})
    return _json_safe(result)


@dataclass(frozen=True)
class Collected:
    """What a report gathers from the runs, before anything is aggregated."""

    runs: dict  # (arm, seed) -> {"measure", "curves", "probe_curves"} of every finished run
    vectors: dict  # (arm, seed) -> {state: per-layer (n, H) vectors of the CKA sentences}
    figure2: dict  # arm -> {suite: (n, d) thought vectors}, for seed `figure2_seed`
    figure2_seed: int
    configs: dict  # (arm, seed) -> the run's config.json contents
    cka_sentences: int


def collect(study: Path, spec, config: ReportConfig, log=None) -> Collected:
    """Load the study's finished runs one at a time and take what the report needs from each."""
    done = [(arm, seed) for arm, seed in spec.runs() if finished(run_folder(study, arm, seed))]
    if not any(arm == BASELINE for arm, _ in done) or len({arm for arm, _ in done}) < 2:
        raise UserError(
            f"study {study} has no finished {BASELINE} run and other arm to compare yet: "
            f"run `s2s study --out {study}` to train them"
        )
    configs = {key: RunConfig.read(run_folder(study, *key)) for key in done}
    data = run_data(run_folder(study, *done[0]), configs[done[0]])
    reference = reference_sentences([s for s, _ in data.train])
    cka_sentences = reference_sentences([s for s, _ in (data.test or data.dev)], size=config.cka_sentences)
    seed0 = min(seed for _, seed in done)
    runs, vectors, figure2 = {}, {}, {}
    for i, (arm, seed) in enumerate(done, 1):
        name = run_name(arm, seed)
        if log:
            log(f"measuring {name} ({i}/{len(done)})")
        run = load_run(run_folder(study, arm, seed), config.device)
        measure = _measure_cached(study, name, run, data, config, reference)
        runs[arm, seed] = {
            "measure": measure,
            "curves": run_curves(run.path),
            "probe_curves": probe_curves(run.path),
        }
        vectors[arm, seed] = cka_vectors(run, cka_sentences)
        if seed == seed0:
            figure2[arm] = figure2_vectors(run)
        del run  # one model in memory at a time
    dicts = {key: c.to_dict() for key, c in configs.items()}
    return Collected(runs, vectors, figure2, seed0, dicts, len(cka_sentences))


def build_report(study: str | Path, config: ReportConfig = ReportConfig(), log=None) -> dict:
    """Measure every finished run of the study and return the report (not yet written)."""
    study = Path(study)
    spec = read_study(study)
    return assemble(study.name, spec, collect(study, spec, config, log), config)


def assemble(name: str, spec, got: Collected, config: ReportConfig = ReportConfig()) -> dict:
    """The report from what was collected: every section, then the summary computed from them."""
    done = list(got.runs)
    missing = [run_name(arm, seed) for arm, seed in spec.runs() if (arm, seed) not in got.runs]
    arms = [arm for arm in spec.arms if any(a == arm for a, _ in done)]
    seeds = spec.seed_list
    first = got.runs[done[0]]["measure"]
    signature = (first.get("test") or first.get("dev") or {}).get("signature", {})
    hashes = sorted({config_hash(c) for c in got.configs.values()})
    model_configs = {
        a: ModelConfig.from_dict(got.configs[a, s]["model"]) for a, s in done if s == got.figure2_seed
    }
    agreement = initial_weights(model_configs, BASELINE) if BASELINE in model_configs else {}
    runs = got.runs
    report = {
        "version": REPORT_VERSION,
        "study": name,
        "spec": spec.to_dict(),
        "arms": arms,
        "seeds": seeds,
        "runs": {run_name(a, s): f"{RUNS}/{run_name(a, s)}" for a, s in done},
        "missing_runs": missing,
        "provenance": {
            "seeds": sorted({s for _, s in done}),
            "config_hash": "+".join(hashes),
            "data_fingerprint": got.configs[done[0]].get("data", {}).get("fingerprint"),
            "bleu_signature": signature.get("bleu"),
            "chrf_signature": signature.get("chrf"),
            "steps": {run_name(a, s): runs[a, s]["measure"]["step"] for a, s in done},
            "settings": config.measure.to_dict(),
        },
        "notes": _notes(missing, hashes, len(seeds)),
        "initial_weights": describe_initial_weights(agreement, BASELINE),
        "scores": aggregate.scores(runs, arms, seeds),
        "curves": aggregate.curves(runs, arms, seeds),
        "steps_to_bleu": aggregate.threshold_steps(runs, arms, seeds, config.bleu_threshold),
        "by_length": aggregate.by_length(runs, arms, seeds),
        "position_loss": aggregate.position_loss(runs, arms, seeds),
        "probes": aggregate.probes(runs, arms, seeds, config.measure.suites),
        "cka": {"sentences": got.cka_sentences, **cka_table(got.vectors, arms, seeds)},
        "figure2": {
            "seed": got.figure2_seed,
            "method": FIGURE2_METHOD,
            "maps": figure2_maps(got.figure2, got.figure2_seed),
        },
    }
    report["summary"] = summarise(report)
    return _json_safe(report)


def _notes(missing: list[str], hashes: list[str], n_seeds: int) -> list[str]:
    notes = []
    if missing:
        notes.append(f"not finished, left out: {', '.join(missing)}")
    if len(hashes) > 1:
        notes.append(
            f"the runs do not share one configuration (hashes {', '.join(hashes)}): compare with care"
        )
    if n_seeds == 1:
        notes.append("one seed: every number is a single run, without an interval")
    return notes


def write_report(study: str | Path, config: ReportConfig = ReportConfig(), log=None) -> tuple[Path, Path]:
    """Build the report and write report.json and report.html; returns their paths."""
    from core.study.html import render_html

    study = Path(study)
    report = build_report(study, config, log)
    json_path = atomic.write_json(study / REPORT_JSON, report)
    html_path = atomic.write_text(study / REPORT_HTML, render_html(report))
    return json_path, html_path


def _json_safe(value):
    """NaN and infinities -> None, tuples -> lists: report.json is strict JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value
