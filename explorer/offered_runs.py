"""The runs the pages offer: the user's own (newest first), then the demo runs shipped in demo/runs
(core.run.demo) unless the sidebar's "Show the demo runs" is off. No Streamlit here."""

from __future__ import annotations

from pathlib import Path

from core.run.demo import DEMO_PAIR, demo_runs_dir
from core.run.folder import WEIGHTS, runs_dir
from core.run.listing import RunInfo, list_runs


def demo_runs() -> list[RunInfo]:
    """The shipped demo runs, in name order (forward, reversed)."""
    return sorted(list_runs(demo_runs_dir()), key=lambda r: r.name)


def offered_runs(root: Path | None = None, demo: bool = True) -> list[RunInfo]:
    """The user's runs in `root` (default runs_dir()), then, with `demo`, the demo runs whose name
    no run of the user's takes."""
    own = list_runs(root or runs_dir())
    if not demo:
        return own
    taken = {r.name for r in own}
    return own + [r for r in demo_runs() if r.name not in taken]


def figure2_pair(runs: list[RunInfo], own: tuple[str, str]) -> tuple[RunInfo, RunInfo] | None:
    """(forward, reversed) of Figure 2 among `runs`: the user's own pair (names `own`, from Home's
    button) when both are there, else the demo pair, else None."""
    by_name = {r.name: r for r in runs}
    for forward, reversed_ in (own, DEMO_PAIR):
        if forward in by_name and reversed_ in by_name:
            return by_name[forward], by_name[reversed_]
    return None


def with_weights(runs: list[RunInfo]) -> list[RunInfo]:
    """Runs that have weights (a run still training counts once it saved its first checkpoint)."""
    return [r for r in runs if (r.path / WEIGHTS).is_file()]
