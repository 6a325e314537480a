"""`s2s study`: every arm x seed trained alike as ordinary runs, then one report (report.json, report.html).

    s2s study --data grammar --preset tiny --arms forward,reversed --seeds 3 --out studies/reversal

Within a seed every arm has the same data order, budget and settings; forward and reversed also
start from the same weights. A killed study resumes with the same command, or with only --out:
finished runs are not retrained, an interrupted run continues from its last checkpoint. Model
and training options pass through to every run as in `s2s train`.

--launcher slurm submits each arm x seed as one SLURM job of a job array (submitit), and waits
with progress; with --no-wait it returns at once, and a later `s2s study --out S` collects the
jobs, resubmits the failed or missing ones and writes the report when all have ended. A job
that reaches its time limit or is preempted checkpoints and is requeued; its run resumes exactly.
"""

from __future__ import annotations

import argparse
import signal
import sys
from dataclasses import replace
from pathlib import Path

from core.cli import study_slurm
from core.config import declared
from core.errors import UserError
from core.study.metrics import PRIMARY

STUDY_OPTIONS = ("seed", "reverse_source", "attention", "steps", "epochs")  # the study sets these per run
DEFAULT_ARMS = "forward,reversed"
DEFAULT_SEEDS = 5  # 3 give a t-interval, but rarely one narrow enough to decide (report: seeds needed)


def add_parser(sub, name: str) -> None:
    from core.cli.flags import add_device, add_option, add_probe_suites, add_search, add_threads
    from core.cli.train import DEFAULT_PRESET
    from core.study.compare import CKA_SENTENCES

    p = sub.add_parser(
        name,
        help="train arms x seeds and report on them",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--out", required=True, help="the study folder to create (or resume), e.g. studies/reversal"
    )
    p.add_argument("--data", help="as s2s train: grammar[:N] | a TSV file | a folder | SRC,TGT files")
    p.add_argument("--preset", help=f"as s2s train (default {DEFAULT_PRESET})")
    p.add_argument("--arms", help=f"forward,reversed[,attention] (default {DEFAULT_ARMS})")
    p.add_argument("--seeds", type=int, help=f"how many seeds of every arm (default {DEFAULT_SEEDS})")
    p.add_argument(
        "--first-seed",
        type=int,
        help="the first seed (default 0); a replication takes seeds no earlier study used",
    )
    p.add_argument(
        "--add-seeds",
        type=int,
        metavar="K",
        help="extend a finished study (--out) with K more seeds, then report again; "
        "its runs are not retrained",
    )
    p.add_argument("--steps", type=int, help="optimizer steps of every run (default: the preset's)")
    p.add_argument(
        "--primary",
        help=f"the comparisons that carry the study's claims, declared before training: split.metric of "
        f"every arm against forward (default {','.join(PRIMARY)}); the rest of the report is exploratory",
    )
    add_probe_suites(
        p,
        "probe suites (TSV files or builtin:NAME) scored during training and in the report, besides "
        "the standard built-in ones",
    )
    p.add_argument("--jobs", type=int, help="runs trained at once (default 1; --launcher local)")
    add_threads(p, "per run, the cores shared by the jobs")
    add_device(p, ", for training and the report")
    p.add_argument("--no-report", action="store_true", help="train only; the report comes on the next call")
    report = p.add_argument_group("the report")
    add_search(report, ("beam",))  # for dev/test BLEU
    report.add_argument("--max-sentences", type=int, help="score at most N dev and N test pairs per run")
    report.add_argument(
        "--bleu-threshold",
        type=float,
        help="dev BLEU for 'steps to reach' (default: 90%% of the weakest arm's final)",
    )
    report.add_argument(
        "--cka-sentences", type=int, default=CKA_SENTENCES, help="test sources CKA is computed on"
    )
    study_slurm.add_arguments(p.add_argument_group("SLURM (--launcher slurm)"), add_option)
    overrides = p.add_argument_group("training options for every run (as in s2s train)")
    for opt in declared():
        if opt.name not in STUDY_OPTIONS:
            add_option(overrides, opt)
    p.set_defaults(handler=run)


def override_flags(args) -> tuple[str, ...]:
    """The model, tokenizer and training options given, as `s2s train` flags."""
    flags = []
    for opt in declared():
        value = getattr(args, opt.name, None)
        if opt.name in STUDY_OPTIONS or value is None:
            continue
        if opt.kind is bool:
            flags.append(opt.flag if value else "--no-" + opt.flag[2:])
        else:
            flags += [opt.flag, str(value)]
    return tuple(flags)


def suite_specs(specs: list[str] | None) -> tuple[str, ...] | None:
    """--probe-suite as the study keeps it: each suite read now (a bad one is one line, before
    anything is written), a file by its absolute path (the runs and the report read it later)."""
    from core.analysis.suites import BUILTIN_PREFIX, builtin_suites, load_suite

    if not specs:
        return None
    kept = []
    for spec in specs:
        table = load_suite(spec)
        builtin = builtin_suites().get(table.name) is table
        kept.append(BUILTIN_PREFIX + table.name if builtin else str(Path(spec).resolve()))
    return tuple(kept)


def given_settings(args) -> dict:
    """The study settings given on the command line (None: not given, left out)."""
    given = {
        "data": args.data,
        "preset": args.preset,
        "arms": args.arms,
        "seeds": args.seeds,
        "steps": args.steps,
        "overrides": override_flags(args) or None,
        "first_seed": args.first_seed,
        "primary": args.primary,
        "probe_suites": suite_specs(args.probe_suite),
    }
    return {k: v for k, v in given.items() if v is not None}


def requested_spec(args, study: Path):
    """The study asked for: the stored one with what was given changed, or a new one (None:
    nothing given, resume as stored)."""
    from core.cli.train import DEFAULT_PRESET
    from core.study.layout import STUDY, StudySpec, read_study

    given = given_settings(args)
    if (study / STUDY).is_file():
        stored = read_study(study)
        return replace(stored, **given) if given else None
    if not args.data:
        raise UserError("--data is required for a new study (e.g. --data grammar)")
    defaults = {"preset": DEFAULT_PRESET, "arms": DEFAULT_ARMS, "seeds": DEFAULT_SEEDS, "steps": None}
    return StudySpec(**{**defaults, **given})


def check_training(spec, study: Path, runner) -> None:
    """Parse and check every run's `s2s train` command as `s2s train` would, before anything is
    written: a bad option is one line now, not a failure after the first runs have trained."""
    from core.cli.train import add_parser as add_train_parser
    from core.cli.train import build_request
    from core.corpus.spec import DataSpec
    from core.study.runner import train_command

    parser = argparse.ArgumentParser(prog="s2s")
    add_train_parser(parser.add_subparsers(dest="command"), "train")
    if not DataSpec.parse(spec.data).exists():
        raise UserError(f"--data {spec.data} not found: check the path")
    for arm in spec.arms:
        argv = train_command(spec, study, arm, 0, runner, resume=False)[3:]  # from "train" on
        try:
            build_request(parser.parse_args(argv))  # its configs check every option's range
        except SystemExit:
            raise UserError(f"the training options do not parse: {' '.join(argv[1:])}") from None


def run(args) -> int:
    from core.cli.flags import search_config
    from core.study.measure import MeasureConfig
    from core.study.report import ReportConfig
    from core.study.runner import RunnerConfig, add_seeds, open_study

    study = Path(args.out)
    slurm = study_slurm.slurm_config(args, study)  # None: the local launcher
    runner = RunnerConfig(
        jobs=1 if args.jobs is None else args.jobs, threads=args.threads, device=args.device
    )
    if slurm is not None:  # a run's threads are its job's cores
        runner = replace(runner, threads=args.threads or slurm.cpus_per_job)
    measure = MeasureConfig(beam=search_config(args).beam, max_sentences=args.max_sentences)
    report = ReportConfig(measure, args.bleu_threshold, args.cka_sentences, args.device)
    if args.add_seeds is not None:
        if study_slurm.live_runs(study):
            raise UserError(f"{study} has SLURM jobs queued or running: let them finish, then add seeds")
        if given_settings(args):
            raise UserError(
                "--add-seeds extends a study as it was asked for: give it with --out (and "
                "--jobs, --threads, --device or the report's options) only"
            )
        add_seeds(study, args.add_seeds)
        spec = None
    else:
        spec = requested_spec(args, study)
    if spec is not None:
        check_training(spec, study, runner)
        spec = replace(spec, threads=spec.threads or runner.threads_per_run())
    spec = open_study(study, spec)

    def log(line: str) -> None:
        print(f"s2s study: {line}", file=sys.stderr, flush=True)

    if args.threads and spec.threads and args.threads != spec.threads:
        note = f"the runs started with {spec.threads} threads; a run resumed with {args.threads} differs"
        log(f"note: {note} from an uninterrupted one in the last digits")
    runner = replace(runner, threads=args.threads or spec.threads)

    def terminate(signum, frame):
        raise KeyboardInterrupt  # the runner stops its trainers cleanly (each checkpoints)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        return train_and_report(study, spec, slurm, runner, report, args, log)
    finally:  # a caller in the same process (a test, the app) gets its own handler back
        signal.signal(signal.SIGTERM, previous)


def train_and_report(study: Path, spec, slurm, runner, report, args, log) -> int:
    """Train what the study lacks (locally or on SLURM), then write report.json and report.html."""
    from core.render.report_html import write_html
    from core.study.layout import REPORT_HTML
    from core.study.report import write_report
    from core.study.runner import run_study, study_process

    runs = len(spec.runs())
    if slurm is not None:
        log(f"{study}: {len(spec.arms)} arms x {spec.seeds} seeds = {runs} runs, one SLURM job each")
        with study_process(study):
            if not study_slurm.on_slurm(study, spec, slurm, runner, not args.no_wait, log):
                return 0
        log(f"all {runs} runs finished")
    else:
        log(f"{study}: {len(spec.arms)} arms x {spec.seeds} seeds = {runs} runs, {runner.jobs} at a time")
        with study_process(study):
            trained = run_study(study, spec, runner, log)
        log(f"all {runs} runs finished ({len(trained)} trained now)")
    if args.no_report:
        return 0
    import torch

    threads = torch.get_num_threads()
    # as many threads as a run had: more than the free cores made the report 10x slower on a busy machine
    torch.set_num_threads(runner.threads_per_run())
    try:
        json_path, written = write_report(study, report, log)
        write_html(study, written)
    finally:
        torch.set_num_threads(threads)
    log(f"report: {study / REPORT_HTML} (numbers: {json_path})")
    return 0
