"""The runs table of the Home page, as a DataFrame (no Streamlit here: unit-testable)."""

from __future__ import annotations

import pandas as pd

from core.run.folder import runs_dir
from core.run.listing import RunInfo, list_runs

__all__ = ["list_runs", "runs_dir", "runs_frame"]

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
