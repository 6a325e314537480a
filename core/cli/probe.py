"""`s2s probe`: score a run's thought vectors on a probe suite, beside surface baselines (JSON).

For each family: cos(anchor, positive) and cos(anchor, negative); the margin is their mean
difference with a seeded 95% bootstrap interval (not over trainings: another seed can move it by
more), the win rate the share of families where the positive is closer. The interval resamples
the suite's design: the built-in generated suites are crossed from a few verbs and names, so by
default their families are drawn in clusters of verb x people (a crossed, pigeonhole bootstrap);
--cluster TAG[,TAG] chooses the tags, --cluster family resamples families one by one. The output
names its unit and the number of clusters ("resampling").
The same margin is given for three baselines: a bag of words, a bag of word bigrams and the
run's untrained encoder (step 0); "lead" is the margin minus the best baseline's, paired (the same
resampling), and "beats_baselines" is true only when every lead's interval is above 0: only then
is the score evidence that the vectors keep meaning. --centred scores mean-centred vectors, the
baselines centred on the same reference sentences. --by TAG splits every margin by a tag of the
families (builtin suites: construction, participants, verb, tense, people). --suite takes a TSV
file or builtin:NAME (voice, voice_pronoun, fronting, bshift, tense, figure2_left, figure2_right).
--compare RUN2 scores a second run on the same suite: {"runs": {name1: ..., name2: ...},
"difference": margin1 - margin2, ...} with a paired interval. --geometry adds the silhouette and
nearest-neighbour retrieval of the meaning classes and a linear probe of a property (the two
--property columns) with its random-label control.
"""

from __future__ import annotations

from core.analysis.probe_settings import ProbeSettings, probe_options
from core.cli.flags import add_device, add_option, add_run, given
from core.cli.io import print_json
from core.errors import UserError


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="score thought vectors on a probe suite (JSON)", description=__doc__)
    add_run(p)
    p.add_argument(
        "--suite",
        required=True,
        help="a suite TSV file, or builtin:voice|voice_pronoun|fronting|bshift|tense|...",
    )
    for opt in probe_options():  # --anchor --positive --negative --state --layers --boot --seed
        add_option(p, opt)
    p.add_argument("--by", metavar="TAG", help="split the margins by a tag of the families (e.g. verb)")
    p.add_argument(
        "--centred",
        action="store_true",
        help="score vectors centred on the mean of the run's reference training sentences (and the "
        "baselines centred on the same sentences)",
    )
    p.add_argument("--per-family", action="store_true", help="list every family's cosines")
    p.add_argument("--compare", metavar="RUN2", help="score a second run on the same suite")
    p.add_argument("--geometry", action="store_true", help="add silhouette, retrieval and a linear probe")
    p.add_argument(
        "--property", help="two columns COL_A,COL_B for the linear probe (default anchor,positive)"
    )
    add_device(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from core.analysis.bootstrap import INTERVAL_NOTE
    from core.analysis.centring import training_reference
    from core.analysis.probe_report import report_suite
    from core.analysis.probe_scores import paired_difference, run_labels, suite_geometry
    from core.analysis.suites import load_suite
    from core.run.loaded import load_run

    settings = ProbeSettings(**given(args, probe_options()))  # checks them
    table = load_suite(args.suite)
    settings.roles(table)  # a bad column fails before loading a model
    settings.resampling(table)  # likewise a --cluster tag the suite lacks, or one that cannot cluster
    if args.by:
        table.tag(args.by)  # likewise a tag the suite does not have
    property_columns = None
    if args.property:
        property_columns = tuple(col.strip() for col in args.property.split(","))
        if len(property_columns) != 2:
            raise UserError(f"--property takes two columns separated by a comma, not {args.property!r}")
        for col in property_columns:
            table.column(col)
    runs = [load_run(args.run, args.device)]
    if args.compare:
        runs.append(load_run(args.compare, args.device))
    reports = [
        report_suite(run, table, settings, training_reference(run) if args.centred else None) for run in runs
    ]
    results = [report.to_dict() for report in reports]
    output = results[0]
    if args.compare:
        difference = paired_difference(reports[0].model, reports[1].model, settings.n_boot, settings.seed)
        output = {
            "runs": dict(zip(run_labels(runs), results)),
            **difference.to_dict(),
            "interval": INTERVAL_NOTE,
        }
    for result, report, loaded in zip(results, reports, runs):
        if not args.per_family:
            result.pop("per_family")
        if args.by:
            result["by"] = report.split(table, args.by).to_dict()
        if args.geometry:
            result["geometry"] = suite_geometry(loaded, table, settings, property_columns).to_dict()
    print_json(output)
    return 0
