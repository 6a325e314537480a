"""Home's monitor of the two Figure 2 runs: their progress, and Thought Vectors opened when both
finished (an st.fragment that refreshes while one of them trains)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from explorer import cache, jobs, state
from explorer.messages import shown_errors
from explorer.train.monitor import ACTIVE, REFRESH_S, progress_line


def figure2_monitor(root: Path, expected_steps: int | None = None) -> None:
    """Home: the two Figure 2 runs (time left to `expected_steps`, the step the demo pair stopped
    at); once both finished, ask the app to open Thought Vectors."""
    paths = jobs.figure2_paths(root)
    active = any(cache.training_processes().job_state(p).state in ACTIVE for p in paths)

    @st.fragment(run_every=REFRESH_S if active else None)
    def monitor() -> None:
        with shown_errors("following the Figure 2 runs"):
            states = [progress_line(p, expected_steps=expected_steps).state for p in paths]
            if all(s == "finished" for s in states) and st.session_state.get(state.FIGURE2):
                st.session_state[state.FIGURE2] = False
                st.session_state[state.OPEN_FIGURE2] = True
                st.rerun()
            if any(s in ACTIVE for s in states) != active:
                st.rerun()  # started or ended: switch the refresh on or off

    monitor()
