"""Session-state keys (one browser tab = one session), as constants, initialised in one place.

Only state that must outlive a page or a rerun lives here; widget values stay with their widgets.
"""

from __future__ import annotations

import copy

import streamlit as st

RUN = "run"  # the run chosen last (a run folder name), shared by the pages that pick one run
SECOND_RUN = "second_run"  # the other model of a side-by-side view
DATA_SPEC = "data_spec"  # the --data spec chosen on the Data page (Train preselects it)
WATCHED_RUN = "watched_run"  # the run the Train page follows
JOBS = "jobs"  # run name -> argv of the training processes this tab started
FIGURE2 = "figure2"  # True while Home waits for the Figure 2 runs
OPEN_FIGURE2 = "open_figure2"  # set when both Figure 2 runs finished: switch to Thought Vectors
TV_SOURCE = "tv_open_with"  # what Thought Vectors starts with: "figure2" preselects the paper's sets
TV_RESULT = "tv_result"  # the last map computed on Thought Vectors (reruns do not recompute)
TRANSLATIONS = "translations"  # the last translations shown
COMPARE_RESULT = "compare_result"  # BLEU by length / probe scores computed on Compare
LAB_RESULT = "lab_result"  # Probe Lab results, by tool

DEFAULTS: dict = {
    RUN: None,
    SECOND_RUN: None,
    DATA_SPEC: "grammar",
    WATCHED_RUN: None,
    JOBS: {},
    FIGURE2: False,
    OPEN_FIGURE2: False,
    TV_SOURCE: None,
    TV_RESULT: None,
    TRANSLATIONS: None,
    COMPARE_RESULT: {},
    LAB_RESULT: {},
}


def init() -> None:
    """Give every key its default once per session (pages call this first)."""
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.deepcopy(value)
