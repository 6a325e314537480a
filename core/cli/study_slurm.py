"""`s2s study --launcher slurm`: its flags and its part of `s2s study` (core/cli/study.py calls
these; the machinery is core.study.slurm_launcher)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from core.errors import UserError

LAUNCHERS = ("local", "slurm")


def add_arguments(group, add_option) -> None:
    """--launcher, the declared SLURM options (core.study.slurm_config), --slurm-extra, --no-wait."""
    from core.study.slurm_config import slurm_options

    group.add_argument(
        "--launcher",
        choices=LAUNCHERS,
        help="local: subprocesses here (the default); slurm: one SLURM job per run "
        "(a study submitted to SLURM keeps it)",
    )
    for opt in slurm_options():
        add_option(group, opt)
    group.add_argument(
        "--slurm-extra",
        nargs="+",
        action="extend",
        metavar="KEY=VALUE",
        help="further sbatch options for every job, e.g. account=lab qos=high",
    )
    group.add_argument("--no-wait", action="store_true", help="submit and return; `--out S` later collects")


def live_runs(study: Path) -> list[str]:
    """The runs of a SLURM study whose job is queued or running (none for a local study)."""
    from core.study import slurm_launcher
    from core.study.layout import read_study

    if not slurm_launcher.is_slurm_study(study) or shutil.which("squeue") is None:
        return []
    return [r.run for r in slurm_launcher.run_jobs(study, read_study(study)) if r.live]


def slurm_config(args, study: Path):
    """The study's SlurmConfig: the one it was submitted with, changed by the flags given; None for
    the local launcher. One line and exit 2, before anything is written, for: --jobs with SLURM,
    no sbatch, an unknown partition, SLURM flags without SLURM, and --launcher local on a study
    whose jobs are still queued or running."""
    from core.study import slurm_cluster, slurm_launcher
    from core.study.slurm_config import SlurmConfig, slurm_options

    given = {o.name: getattr(args, o.name) for o in slurm_options() if getattr(args, o.name) is not None}
    if args.slurm_extra:
        given["extra"] = SlurmConfig.parse_extra(args.slurm_extra)
    launcher = args.launcher or ("slurm" if slurm_launcher.is_slurm_study(study) else "local")
    if launcher == "local":
        flags = [o.flag for o in slurm_options() if o.name in given]
        flags += ["--slurm-extra"] * ("extra" in given) + ["--no-wait"] * args.no_wait
        if flags:
            raise UserError(f"{' '.join(flags)}: for --launcher slurm only")
        live = live_runs(study)
        if live:
            raise UserError(
                f"{study}'s SLURM jobs for {', '.join(live)} are still queued or running: "
                "wait for them, or cancel them (scancel), before --launcher local"
            )
        return None
    if args.jobs is not None:
        raise UserError(
            "--jobs is for --launcher local: with --launcher slurm every run is its own job "
            "(--slurm-array-parallelism caps how many run at once)"
        )
    slurm_cluster.require_sbatch()
    stored = slurm_launcher.read_config(study) if slurm_launcher.is_slurm_study(study) else SlurmConfig()
    config = replace(stored, **given)
    slurm_cluster.check_partition(config.partition)
    return config


def on_slurm(study: Path, spec, config, runner, wait: bool, log) -> bool:
    """Submit the runs that need a job, then wait for every run (True), or return at once (False)."""
    from core.study import slurm_launcher

    submitted = slurm_launcher.submit(study, spec, config, runner, log)
    log(f"{len(submitted)} jobs submitted now; their output: {slurm_launcher.folder_of(study)}")
    if not wait:
        log(f"not waiting: `s2s study --out {study}` collects the jobs, resubmits failed ones and reports")
        return False
    slurm_launcher.wait(study, spec, log)
    return True
