"""The runs table of the Home page: the runs as a DataFrame (runs_frame) and the table that follows
them while one trains (runs_overview)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from core.run.listing import RunInfo
from explorer.home.disk_use import disk_line
from explorer.offered_runs import offered_runs
from explorer.train.monitor import REFRESH_S

COLUMNS = ["run", "state", "reversed", "step", "data", "dev ppl", "dev BLEU", "message"]


def runs_frame(runs: list[RunInfo]) -> pd.DataFrame:
    rows = [
        {
            "run": f"{r.name} (demo)" if r.demo else r.name,
            "state": r.state,
            "reversed": {True: "yes", False: "no", None: "?"}[r.reverse_source],
            "step": f"{r.step}/{r.total_steps}" if r.total_steps else str(r.step),
            "data": r.data,
            "dev ppl": None if r.dev_ppl is None else round(r.dev_ppl, 2),
            "dev BLEU": None if r.dev_bleu is None else round(r.dev_bleu, 1),
            "message": r.message,
        }
        for r in runs
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def runs_overview(root: Path, empty: str, waiting: bool = False, demo: bool = True) -> None:
    """Home: the runs table, the user's then (with `demo`) the demo runs (or `empty` when there is
    none), refreshed every few seconds while a run is training or, with `waiting`, while runs this
    session started are still starting."""
    active = waiting or any(r.state == "running" for r in offered_runs(root, demo=False))

    @st.fragment(run_every=2 * REFRESH_S if active else None)
    def table() -> None:
        runs = offered_runs(root, demo)
        if runs:
            st.dataframe(runs_frame(runs), hide_index=True, width="stretch")
            st.caption(f"Runs folder: `{root}`, {disk_line(root)} (set `S2S_RUNS_DIR` to use another).")
        else:
            st.info(empty)
        if not waiting and any(r.state == "running" for r in runs) != active:
            st.rerun()

    table()
