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
from core.study.alike import compare_starts
from core.study.arms import BASELINE
from core.study.by_length import by_length
from core.study.cka_seeds import CkaSection, compare_arms, layer_matches
from core.study.compare import CKA_SENTENCES, cka_vectors, figure2_maps, figure2_vectors
from core.study.curves import probe_curves, run_curves
from core.study.layout import MEASURES, RUNS, read_study, run_folder, run_name
from core.study.learning import curves, threshold_steps
from core.study.measure import MeasureConfig, RunMeasure, measure_run, scored_pairs
from core.study.multiplicity import adjust
from core.study.paired_bleu import PairedBleu, paired_bleu
from core.study.primary import primary_section
from core.study.probe_margins import probes
from core.study.provenance import Provenance, config_hash
from core.study.records import RunRecord
from core.study.report_file import Report, strict_json
from core.study.scores import scores
from core.study.summary import summarise
from core.study.target_positions import position_loss

BLEU_THRESHOLD = Range(low=0, low_open=True, high=100, text="above 0 and at most 100")  # 0: reached at step 0
MIN_CKA_SENTENCES = 4  # the unbiased HSIC of the debiased CKA needs four


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


def _measure_cached(study: Path, name: str, run, data, config: MeasureConfig, reference) -> RunMeasure:
    """measure_run, or its stored result when the weights and settings are the same (a cache of
    another MEASURE_VERSION, or a damaged one, is measured again). Either way the result is what
    measures/NAME.json holds: NaN read back as None."""
    weights = (run.path / WEIGHTS).stat()
    key = {
        "step": run.step,
        "weights": [weights.st_size, weights.st_mtime_ns],
        "settings": config.to_dict(),
    }
    path = study / MEASURES / f"{name}.json"
    stored = read_json(path)
    if stored.get("key") == key:
        try:
            return RunMeasure.from_dict(stored["result"])
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # another MEASURE_VERSION, or damaged: measured again
    result = strict_json(measure_run(run, data, config, reference).to_dict())
    atomic.write_json(path, {"key": key, "result": result})
    return RunMeasure.from_dict(result)


@dataclass(frozen=True)
class Collected:
    """What a report gathers from the runs, before anything is aggregated."""

    runs: dict[tuple[str, int], RunRecord]  # every finished run
    vectors: dict  # (arm, seed) -> {state: per-layer (n, H) vectors of the CKA sentences}
    figure2: dict  # arm -> {suite: (n, d) thought vectors}, for seed `figure2_seed`
    figure2_seed: int
    configs: dict  # (arm, seed) -> the run's config.json contents (what config_hash reads)
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
        hypotheses[arm, seed] = measure.test.hypotheses if measure.test else None
        if measure.test:  # kept once, in `hypotheses`
            measure = replace(measure, test=replace(measure.test, hypotheses=None))
        runs[arm, seed] = RunRecord(measure, run_curves(run.path), probe_curves(run.path))
        vectors[arm, seed] = cka_vectors(run, cka_sentences)
        tokenizers[arm, seed] = file_digests(run.path)
        record = StartRecord.read(run.path)
        # Tokenizer files never change after a run starts: they are compared as digested now, by
        # content, also for runs whose start record digested the path their tokenizer trained at.
        starts[arm, seed] = record and replace(record, tokenizers=tokenizers[arm, seed])
        if seed == seed0:
            figure2[arm] = figure2_vectors(run)
        del run  # one model in memory at a time
    dicts = {key: c.to_dict() for key, c in configs.items()}
    references = tuple(t for _, t in scored_pairs(data.test, measure_config))
    return Collected(
        runs, vectors, figure2, seed0, dicts, len(cka_sentences), hypotheses, references, starts, tokenizers
    )


def build_report(study: str | Path, config: ReportConfig = ReportConfig(), log=None) -> Report:
    """Measure every finished run of the study and return the report (not yet written)."""
    study = Path(study)
    spec = read_study(study)
    return assemble(study.name, spec, collect(study, spec, config, log), config)


def paired_bleu_section(got: Collected, arms, seeds) -> list[PairedBleu]:
    """sacrebleu's paired bootstrap of every arm against forward, seed by seed (test set)."""
    out = []
    for seed in seeds:
        hyps = {arm: got.hypotheses.get((arm, seed)) for arm in arms}
        hyps = {arm: h for arm, h in hyps.items() if h is not None and len(h) == len(got.references)}
        out += paired_bleu(seed, hyps, got.references)
    return out


def _provenance(got: Collected, config: ReportConfig, hashes: list[str], tokenizers: list[str]) -> Provenance:
    done = list(got.runs)
    first = got.runs[done[0]].measure
    scored = first.test or first.dev
    return Provenance(
        seeds=tuple(sorted({s for _, s in done})),
        config_hash="+".join(hashes),
        tokenizer_files="+".join(tokenizers),
        data_fingerprint=got.configs[done[0]].get("data", {}).get("fingerprint"),
        bleu_signature=scored.bleu_signature if scored else None,
        chrf_signature=scored.chrf_signature if scored else None,
        steps={run_name(a, s): got.runs[a, s].measure.step for a, s in done},
        settings=config.measure.to_dict(),
    )


def assemble(name: str, spec, got: Collected, config: ReportConfig = ReportConfig()) -> Report:
    """The report from what was collected: every section, the tests with their adjusted p-values,
    then the summary computed from them. Returned as report.json holds it (NaN read as None)."""
    done = list(got.runs)
    missing = [run_name(arm, seed) for arm, seed in spec.runs() if (arm, seed) not in got.runs]
    arms = [arm for arm in spec.arms if any(a == arm for a, _ in done)]
    seeds = spec.seed_list
    hashes = sorted({config_hash(c) for c in got.configs.values()})
    tokenizer_hashes = sorted(
        {digest(repr(sorted(d.items())).encode())[:12] for d in got.tokenizers.values()}
    )
    runs = got.runs
    score_section, score_tests = scores(runs, arms, seeds, spec.primary)
    length_section, length_tests = by_length(runs, arms, seeds)
    position_section, position_tests = position_loss(runs, arms, seeds)
    probe_section, probe_tests = probes(runs, arms, seeds)
    cka = compare_arms(got.vectors, arms)
    tests = adjust(
        score_tests + length_tests + position_tests + probe_tests + [c.test() for c in cka if c.p is not None]
    )
    report = Report(
        study=name,
        spec=spec,
        arms=tuple(arms),
        seeds=tuple(seeds),
        runs={run_name(a, s): f"{RUNS}/{run_name(a, s)}" for a, s in done},
        missing_runs=tuple(missing),
        provenance=_provenance(got, config, hashes, tokenizer_hashes),
        notes=tuple(_notes(missing, hashes, tokenizer_hashes, len(seeds))),
        alike=compare_starts(got.starts, {key: run_name(*key) for key in got.starts}),
        primary=tuple(primary_section(tests, score_section)),
        scores=score_section,
        paired_bleu=tuple(paired_bleu_section(got, arms, seeds)),
        curves=curves(runs, arms, seeds),
        steps_to_bleu=threshold_steps(runs, arms, seeds, config.bleu_threshold),
        by_length=length_section,
        position_loss=position_section,
        probes=probe_section,
        cka=CkaSection(got.cka_sentences, tuple(cka), tuple(layer_matches(got.vectors, arms))),
        figure2=figure2_maps(got.figure2, got.figure2_seed),
        tests=tuple(tests),
    )
    report = replace(report, summary=tuple(summarise(report)))
    return Report.from_dict(report.to_dict())


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


def write_report(study: str | Path, config: ReportConfig = ReportConfig(), log=None) -> tuple[Path, Report]:
    """Build the report and write report.json; returns its path and the report (report.html is
    core.render.report_html.write_html's, one layer up)."""
    report = build_report(study, config, log)
    return report.write(study), report
