"""report.json from a study folder: every finished run measured the same way, then per arm.

Runs are visited one at a time; each run's measurements are kept in measures/ARM-sSEED.json
and reused while the run's weights and the settings are unchanged, so a report over a
growing study only measures the new runs.

Every comparison the report makes is a test (core.study.multiplicity): the primary ones declared
in study.json are Holm-adjusted and carry the summary's claims; the rest are exploratory,
Benjamini-Hochberg-adjusted and labelled so. The summary claims a difference only where its
adjusted test holds (core.study.summary).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from core import atomic
from core.analysis.centring import reference_sentences
from core.errors import UserError
from core.options import Range
from core.run.config import RunConfig
from core.run.data import run_data
from core.run.folder import WEIGHTS, read_json
from core.run.loaded import load_run
from core.run.start import StartRecord, digest, file_digests
from core.run.status import read_status
from core.study import aggregate
from core.study.alike import compare_starts
from core.study.arms import BASELINE
from core.study.cka_seeds import compare_arms, layer_matches
from core.study.compare import CKA_SENTENCES, cka_vectors, figure2_maps, figure2_vectors
from core.study.curves import probe_curves, run_curves
from core.study.layout import MEASURES, REPORT_JSON, RUNS, read_study, run_folder, run_name
from core.study.measure import MeasureConfig, measure_run, scored_pairs
from core.study.multiplicity import PRIMARY, adjust
from core.study.paired_bleu import paired_bleu
from core.study.power import describe_seeds, seeds_needed
from core.study.provenance import config_hash
from core.study.summary import summarise

REPORT_VERSION = (
    2  # 2: tests with adjusted p, seeds needed, paired bootstrap BLEU, cross-seed CKA, start records
)
BLEU_THRESHOLD = Range(low=0, low_open=True, high=100, text="above 0 and at most 100")  # 0: reached at step 0
MIN_CKA_SENTENCES = 4  # the unbiased HSIC of the debiased CKA needs four
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
        if self.cka_sentences < MIN_CKA_SENTENCES:
            raise UserError(f"--cka-sentences must be at least {MIN_CKA_SENTENCES}, not {self.cka_sentences}")


def finished(run: Path) -> bool:
    return read_status(run).state == "finished" and (run / WEIGHTS).is_file()


def _measure_cached(study: Path, name: str, run, data, config: MeasureConfig, reference) -> dict:
    """measure_run, or its stored result when the weights and settings are the same."""
    weights = (run.path / WEIGHTS).stat()
    key = {
        "step": run.step,
        "weights": [weights.st_size, weights.st_mtime_ns],
        "settings": config.to_dict(),
    }
    path = study / MEASURES / f"{name}.json"
    stored = read_json(path)
    if stored.get("key") == key:
        return stored["result"]
    result = measure_run(run, data, config, reference)
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
    hypotheses: dict  # (arm, seed) -> the run's test hypotheses (for the paired bootstrap)
    references: tuple[str, ...]  # the test references they are scored against
    starts: dict  # (arm, seed) -> the run's StartRecord, or None (trained before records existed)
    tokenizers: dict  # (arm, seed) -> {tokenizer file: SHA-256}


def collect(study: Path, spec, config: ReportConfig, log=None) -> Collected:
    """Load the study's finished runs one at a time and take what the report needs from each."""
    done = [(arm, seed) for arm, seed in spec.runs() if finished(run_folder(study, arm, seed))]
    if not any(arm == BASELINE for arm, _ in done) or len({arm for arm, _ in done}) < 2:
        raise UserError(
            f"study {study} has no finished {BASELINE} run and other arm to compare yet: "
            f"run `s2s study --out {study}` to train them"
        )
    measure_config = replace(config.measure, suites=(*config.measure.suites, *spec.probe_suites))
    configs = {key: RunConfig.read(run_folder(study, *key)) for key in done}
    data = run_data(run_folder(study, *done[0]), configs[done[0]])
    reference = reference_sentences([s for s, _ in data.train])
    cka_sentences = reference_sentences([s for s, _ in (data.test or data.dev)], size=config.cka_sentences)
    seed0 = min(seed for _, seed in done)
    runs, vectors, figure2, hypotheses, starts, tokenizers = {}, {}, {}, {}, {}, {}
    for i, (arm, seed) in enumerate(done, 1):
        name = run_name(arm, seed)
        if log:
            log(f"measuring {name} ({i}/{len(done)})")
        run = load_run(run_folder(study, arm, seed), config.device)
        measure = _measure_cached(study, name, run, data, measure_config, reference)
        hypotheses[arm, seed] = (measure.get("test") or {}).pop("hypotheses", None)
        runs[arm, seed] = {
            "measure": measure,
            "curves": run_curves(run.path),
            "probe_curves": probe_curves(run.path),
        }
        vectors[arm, seed] = cka_vectors(run, cka_sentences)
        starts[arm, seed] = StartRecord.read(run.path)
        tokenizers[arm, seed] = file_digests(run.path)
        if seed == seed0:
            figure2[arm] = figure2_vectors(run)
        del run  # one model in memory at a time
    dicts = {key: c.to_dict() for key, c in configs.items()}
    references = tuple(t for _, t in scored_pairs(data.test, measure_config))
    return Collected(
        runs, vectors, figure2, seed0, dicts, len(cka_sentences), hypotheses, references, starts, tokenizers
    )


def build_report(study: str | Path, config: ReportConfig = ReportConfig(), log=None) -> dict:
    """Measure every finished run of the study and return the report (not yet written)."""
    study = Path(study)
    spec = read_study(study)
    return assemble(study.name, spec, collect(study, spec, config, log), config)


def paired_bleu_section(got: Collected, arms, seeds) -> list[dict]:
    """sacrebleu's paired bootstrap of every arm against forward, seed by seed (test set)."""
    out = []
    for seed in seeds:
        hyps = {arm: got.hypotheses.get((arm, seed)) for arm in arms}
        hyps = {arm: h for arm, h in hyps.items() if h is not None and len(h) == len(got.references)}
        out += [row.to_dict() for row in paired_bleu(seed, hyps, got.references)]
    return out


def primary_section(tests, scores: dict) -> list[dict]:
    """Each primary comparison: its estimate over seeds with the t-interval, the Holm-adjusted
    test, and (when the test does not hold) the seeds a paired t-test would need for 80% power at
    the observed effect and spread (core.study.power)."""
    primary = [t for t in tests if t.family == PRIMARY]
    out = []
    for test in primary:
        split_metric, arm = test.key.split(":")[0], test.key.split(":")[1].split("-")[0]
        split, metric = split_metric.split(".")
        diff = scores[split][metric]["vs_forward"][arm]
        needed = None if test.holds else seeds_needed(diff["mean"], diff["sd"], len(primary))
        fields = {k: diff[k] for k in ("mean", "low", "high", "n", "sd", "wins", "losses", "better")}
        verdict = "holds" if test.holds else f"inconclusive: {describe_seeds(needed)}"
        out.append({**test.to_dict(), **fields, "seeds_needed": needed, "verdict": verdict})
    return out


def assemble(name: str, spec, got: Collected, config: ReportConfig = ReportConfig()) -> dict:
    """The report from what was collected: every section, the tests with their adjusted p-values,
    then the summary computed from them."""
    done = list(got.runs)
    missing = [run_name(arm, seed) for arm, seed in spec.runs() if (arm, seed) not in got.runs]
    arms = [arm for arm in spec.arms if any(a == arm for a, _ in done)]
    seeds = spec.seed_list
    first = got.runs[done[0]]["measure"]
    signature = (first.get("test") or first.get("dev") or {}).get("signature", {})
    hashes = sorted({config_hash(c) for c in got.configs.values()})
    tokenizer_hashes = sorted(
        {digest(repr(sorted(d.items())).encode())[:12] for d in got.tokenizers.values()}
    )
    runs = got.runs
    scores, score_tests = aggregate.scores(runs, arms, seeds, spec.primary)
    by_length, length_tests = aggregate.by_length(runs, arms, seeds)
    positions, position_tests = aggregate.position_loss(runs, arms, seeds)
    probes, probe_tests = aggregate.probes(runs, arms, seeds)
    cka = compare_arms(got.vectors, arms)
    tests = adjust(
        score_tests + length_tests + position_tests + probe_tests + [c.test() for c in cka if c.p is not None]
    )
    alike = compare_starts(got.starts, {key: run_name(*key) for key in got.starts})
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
            "tokenizer_files": "+".join(tokenizer_hashes),
            "data_fingerprint": got.configs[done[0]].get("data", {}).get("fingerprint"),
            "bleu_signature": signature.get("bleu"),
            "chrf_signature": signature.get("chrf"),
            "steps": {run_name(a, s): runs[a, s]["measure"]["step"] for a, s in done},
            "settings": config.measure.to_dict(),
        },
        "notes": _notes(missing, hashes, tokenizer_hashes, len(seeds)),
        "alike": alike.to_dict(),
        "primary": primary_section(tests, scores),
        "scores": scores,
        "paired_bleu": paired_bleu_section(got, arms, seeds),
        "curves": aggregate.curves(runs, arms, seeds),
        "steps_to_bleu": aggregate.threshold_steps(runs, arms, seeds, config.bleu_threshold),
        "by_length": by_length,
        "position_loss": positions,
        "probes": probes,
        "cka": {
            "sentences": got.cka_sentences,
            "arms": [c.to_dict() for c in cka],
            "layer_match": [m.to_dict() for m in layer_matches(got.vectors, arms)],
        },
        "figure2": {
            "seed": got.figure2_seed,
            "method": FIGURE2_METHOD,
            "maps": figure2_maps(got.figure2, got.figure2_seed),
        },
        "tests": [t.to_dict() for t in tests],
    }
    report["summary"] = summarise(report)
    return _json_safe(report)


def _notes(missing: list[str], hashes: list[str], tokenizers: list[str], n_seeds: int) -> list[str]:
    notes = []
    if missing:
        notes.append(f"not finished, left out: {', '.join(missing)}")
    if len(hashes) > 1:
        notes.append(
            f"the runs do not share one configuration (hashes {', '.join(hashes)}): compare with care"
        )
    if len(tokenizers) > 1:
        notes.append(
            f"the runs do not share their tokenizer files ({', '.join(tokenizers)}): compare with care"
        )
    if n_seeds == 1:
        notes.append("one seed: every number is a single run, without an interval")
    return notes


def write_report(study: str | Path, config: ReportConfig = ReportConfig(), log=None) -> tuple[Path, dict]:
    """Build the report and write report.json; returns its path and the report (report.html is
    core.render.report_html.write_html's, one layer up)."""
    study = Path(study)
    report = build_report(study, config, log)
    return atomic.write_json(study / REPORT_JSON, report), report


def _json_safe(value):
    """NaN and infinities -> None, tuples -> lists: report.json is strict JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value
