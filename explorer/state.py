"""Session-state keys (one browser tab = one session), as constants, initialised in one place.

Every key that code reads or writes through st.session_state is declared here. Only state that
must outlive a page or a rerun is initialised (DEFAULTS); a widget key that is only a widget key
stays with its widget.
"""

from __future__ import annotations

import copy

import streamlit as st

RUN = "run"  # the run chosen last (a run folder name), shared by the pages that pick one run
SECOND_RUN = "second_run"  # the other model of a side-by-side view
DATA_SPEC = "data_spec"  # the --data spec chosen on the Data page (Train preselects it)
GRAMMAR_SHOWN = "grammar_shown"  # Data: the pair count whose built-in corpus statistics are shown
WATCHED_RUN = "watched_run"  # the run the Train page follows
JOBS = "jobs"  # run name -> run folder of the training processes this tab started
FIGURE2 = "figure2"  # True while Home waits for the Figure 2 runs
OPEN_FIGURE2 = "open_figure2"  # set when both Figure 2 runs finished: switch to Thought Vectors
TV_DRAW_FIGURE2 = "tv_draw_figure2"  # True: Thought Vectors opens on the Figure 2 runs and sets, drawn
TV_RESULT = "tv_result"  # the last map computed on Thought Vectors (reruns do not recompute)
TV_TRAJECTORY = "tv_trajectory"  # the last encoder trajectories traced on Thought Vectors
TRANSLATIONS = "translations"  # the last translations shown
COMPARE_RESULT = "compare_result"  # BLEU by length / probe scores computed on Compare
LAB_RESULT = "lab_result"  # Probe Lab results, by tool
STUDY_OPEN = "study_open"  # Study: the study folder name opened last
SHOW_DEMO = "show_demo"  # the sidebar's "Show the demo runs" (core.run.demo), on every page
TV_AUTO_DRAWN = "tv_auto_drawn"  # Thought Vectors drew the Figure 2 pair on its own once this session

DEFAULTS: dict = {
    RUN: None,
    SECOND_RUN: None,
    DATA_SPEC: "grammar",
    GRAMMAR_SHOWN: None,
    WATCHED_RUN: None,
    JOBS: {},
    FIGURE2: False,
    OPEN_FIGURE2: False,
    TV_DRAW_FIGURE2: False,
    TV_RESULT: None,
    TV_TRAJECTORY: None,
    TRANSLATIONS: None,
    COMPARE_RESULT: {},
    LAB_RESULT: {},
    STUDY_OPEN: None,
    SHOW_DEMO: True,
    TV_AUTO_DRAWN: False,
}

# Widget keys that code also reads or writes (a run picker restores its run, Home preselects the
# Figure 2 view). Not in DEFAULTS: the widget gives the first value.
TRANSLATE_RUN = "translate_run"  # Translate: the model
TRANSLATE_RUN2 = "translate_run2"  # Translate: the second model
TV_RUN = "tv_run"  # Thought Vectors: the model
TV_RUN2 = "tv_run2"  # Thought Vectors: the second model
TV_TWO = "tv_two"  # Thought Vectors: the "side by side with a second model" box
TV_SOURCE = "tv_source"  # Thought Vectors: where the sentences come from (Figure 2 sets, typed, suite)
LAB_RUN = "lab_run"  # Probe Lab: the model
SHOW_DEMO_TOGGLE = "show_demo_toggle"  # the sidebar toggle itself (SHOW_DEMO keeps its value across pages)
TRAIN_WATCH = "train_watch"  # Train: the box of the run followed (WATCHED_RUN keeps it across pages)


def init() -> None:
    """Give every key its default once per session (pages call this first)."""
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.deepcopy(value)
