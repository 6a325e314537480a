"""How a probe suite is scored: the one declaration of the probe's roles, state, layers,
resamples and seed, shared by `s2s probe`, the app, the study report and the benchmarks.

    settings = ProbeSettings(state="h", layers="top", n_boot=500)
    score_suite(run, table, settings)             # core.analysis.probe_scores
    report_suite(run, table, settings)            # core.analysis.probe_report

Each field is a declared option (core.options), so the settings check themselves when built
and `s2s probe`'s flags come from the same declaration (`probe_options`).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.analysis.bootstrap import BOOT, FAMILY, N_BOOT, Resampling
from core.corpus.probe_suite import ProbeTable
from core.errors import UserError
from core.options import SEED, Declared, Option, option, options_of
from core.vector_choice import DEFAULT_LAYERS, DEFAULT_STATE, LAYERS_HELP, STATES, layer_index


@dataclass(frozen=True)
class ProbeSettings(Declared):
    """Which columns play which role (None: the suite's default), which part of the encoder's
    final state is the vector, and the bootstrap: what it resamples (the suite's design unless
    `cluster` says otherwise), how often, with which seed."""

    anchor: str | None = option(
        None, "column compared with the other two (default: the suite's, else the 1st)"
    )
    positive: str | None = option(None, "column that should be closer (default: the suite's, else the 2nd)")
    negative: str | None = option(None, "column that should be farther (default: the suite's, else the 3rd)")
    state: str = option(DEFAULT_STATE, "default hc, as in the paper", choices=STATES)
    layers: str = option(DEFAULT_LAYERS, LAYERS_HELP)
    cluster: str | None = option(
        None,
        "what the interval resamples: tags whose families are drawn together, comma-separated and crossed "
        f"when several (e.g. verb,people); {FAMILY}: families one by one (default: the suite's design, "
        "verb,people for the built-in generated suites)",
    )
    n_boot: int = option(N_BOOT, f"bootstrap resamples (default {N_BOOT})", range=BOOT, cli="boot")
    seed: int = option(0, "bootstrap (and probe fold) seed", range=SEED)

    def __post_init__(self):
        object.__setattr__(self, "layers", str(self.layers))  # an index may come as an int
        if self.cluster is not None and not [t for t in self.cluster.split(",") if t.strip()]:
            raise UserError(f"--cluster names the tags to resample by (or {FAMILY}), not {self.cluster!r}")
        layer_index(self.layers)  # a UserError unless all, top or a number
        super().__post_init__()

    def cluster_tags(self, table: ProbeTable) -> tuple[str, ...]:
        """The tags resampled together ((): families one by one)."""
        if self.cluster is None:
            return table.default_cluster
        tags = tuple(dict.fromkeys(t.strip() for t in self.cluster.split(",") if t.strip()))
        return () if tags == (FAMILY,) else tags

    def resampling(self, table: ProbeTable) -> Resampling:
        """What the suite's intervals resample (a UserError for a tag the suite lacks, or one
        that cannot cluster)."""
        tags = self.cluster_tags(table)
        if not tags:
            return Resampling.families(len(table.rows))
        return Resampling.clusters({tag: table.tag(tag) for tag in tags}, f"suite {table.name}")

    def roles(self, table: ProbeTable) -> tuple[str, str, str]:
        """The (anchor, positive, negative) columns of `table` (a UserError naming its columns)."""
        return table.roles(self.anchor, self.positive, self.negative)


DEFAULTS = ProbeSettings()  # the suite's roles, hc of all layers, N_BOOT resamples, seed 0


def probe_options() -> list[Option]:
    """ProbeSettings' options, as `s2s probe` adds them as flags."""
    return options_of(ProbeSettings, "probe")
