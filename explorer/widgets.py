"""Widgets and page furniture shared by the pages: page set-up, run pickers, notices, exports.

Imports nothing heavy (no torch, scikit-learn or UMAP: tests/test_first_paint.py), so a page's
title and controls are drawn before a computation loads them. numpy and pandas are imported here on
purpose (under a second): plotly reads them from sys.modules without importing them, so one
imported lazily by one session while another draws a figure breaks that figure (a half-imported
pandas has no Series yet).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy  # noqa: F401  (see the docstring: fully imported before any figure is drawn)
import pandas as pd
import streamlit as st

from core.config.search import SearchConfig
from core.options import Option, options_of
from core.run.demo import READ_ONLY
from core.run.folder import runs_dir
from core.run.listing import RunInfo, list_runs
from core.vector_choice import NAMED_LAYERS, STATE_LABELS, STATES, layer_choices
from explorer import state
from explorer.offered_runs import offered_runs, with_weights

if TYPE_CHECKING:
    import plotly.graph_objects as go

PAGES = {
    "home": "Home.py",
    "data": "pages/1_Data.py",
    "train": "pages/2_Train.py",
    "translate": "pages/3_Translate.py",
    "vectors": "pages/4_Thought_Vectors.py",
    "compare": "pages/5_Compare.py",
    "lab": "pages/6_Probe_Lab.py",
    "study": "pages/7_Study.py",
}

SEARCH = {o.name: o for o in options_of(SearchConfig, "search")}  # the decoding options' declarations


def option_bounds(opt: Option) -> dict:
    """A slider's or number_input's min/max from the option's declared range (an open end moves to
    the next float): `st.slider("Beam", value=5, **option_bounds(SEARCH["beam"]))`."""
    r = opt.spec.range
    if r is None:
        return {}
    bounds = {}
    if r.low is not None:
        bounds["min_value"] = math.nextafter(r.low, math.inf) if r.low_open else r.low
    if r.high is not None:
        bounds["max_value"] = math.nextafter(r.high, -math.inf) if r.high_open else r.high
    if opt.kind is int:
        return {k: int(math.ceil(v) if k == "min_value" else math.floor(v)) for k, v in bounds.items()}
    return {k: float(v) for k, v in bounds.items()}


# CommonMark's backslash escapes: markdown, LaTeX's $, the :colour[...] directive, and HTML (< > &)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")


# Unicode's explicit direction controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): one in a word would
# reverse the rest of the line it is shown in, e.g. every word after it in a list of unknown words
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate


def literal(text: str) -> str:
    """A user's text (a sentence, a word) inside st.markdown / st.caption / st.warning: shown as typed,
    never read as markdown, LaTeX, a coloured span or HTML. Text with direction controls is isolated
    (FSI ... PDI, UAX #9), so they act on it alone, not on the text around it."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    if _BIDI_CONTROLS.search(text):
        escaped = FSI + escaped.replace(PDI, "") + PDI  # a PDI of its own would end the isolate early
    return escaped


def page(title: str, icon: str, intro: str = "") -> None:
    """Every page starts here: config, session state, title and one line of what it is for."""
    st.set_page_config(page_title=f"{title} · Seq2Seq Explorer", page_icon=icon, layout="wide")
    state.init()
    st.title(title)
    if intro:
        st.caption(intro)
    demo_setting()


def demo_setting() -> None:
    """The sidebar's "Show the demo runs" (every page; SHOW_DEMO keeps it across pages, where
    Streamlit would forget the widget's own key)."""
    st.session_state[state.SHOW_DEMO_TOGGLE] = st.session_state[state.SHOW_DEMO]

    def keep() -> None:
        st.session_state[state.SHOW_DEMO] = st.session_state[state.SHOW_DEMO_TOGGLE]

    st.sidebar.toggle(
        "Show the demo runs",
        key=state.SHOW_DEMO_TOGGLE,
        on_change=keep,
        help="The forward and reversed models shipped with the app (read-only), listed after your own runs",
    )


def all_runs(root: Path | None = None) -> list[RunInfo]:
    """The user's runs, then the demo runs unless the sidebar hides them."""
    return offered_runs(root, demo=bool(st.session_state[state.SHOW_DEMO]))


def usable_runs(root: Path | None = None) -> list[RunInfo]:
    """The offered runs that have weights (a run in training counts once it saved its first checkpoint)."""
    return with_weights(all_runs(root))


def require_usable_runs() -> list[RunInfo]:
    """The usable runs; with none, the notice of `no_runs_notice` and the page stops there."""
    runs = usable_runs()
    if not runs:
        no_runs_notice()
        st.stop()
    return runs


def run_layers(run: RunInfo) -> int:
    """The run's LSTM layers, from config.json (no model loaded)."""
    return run.layers


def vector_pickers(state_col, layers_col, key: str, n_layers: int | None = None) -> tuple[str, str]:
    """The State and Layers selectboxes (keys KEY_state, KEY_layers) -> (state, layers).
    With n_layers, each layer can be chosen by its index too; else only all or top."""
    vector_state = state_col.selectbox("State", STATES, format_func=STATE_LABELS.get, key=f"{key}_state")
    choices = NAMED_LAYERS if n_layers is None else layer_choices(n_layers)
    help = "all: every layer concatenated (the paper)"
    layers = layers_col.selectbox("Layers", choices, key=f"{key}_layers", help=help)
    return vector_state, layers


def no_runs_notice() -> None:
    """No run with weights: say why (none at all, or none with a checkpoint yet) and where to go."""
    waiting = list_runs(runs_dir())
    if not st.session_state[state.SHOW_DEMO]:
        st.info(
            f"No trained runs yet in `{runs_dir()}`, and the demo runs are hidden: switch on **Show the demo "
            "runs** in the sidebar, or press **Reproduce Figure 2** on Home to train your own pair.",
            icon=":material/visibility_off:",
        )
        return
    st.info(
        f"No trained runs yet in `{runs_dir()}`. Press **Reproduce Figure 2** on Home: it trains a forward "
        "and a reversed model on the built-in corpus.",
        icon=":material/model_training:",
    )
    if waiting:
        states = ", ".join(f"{r.name} ({r.state})" for r in waiting[:5])
        st.caption(f"Runs without a checkpoint yet: {states}. The Train page shows their progress or error.")
    left, right = st.columns(2)
    left.page_link(PAGES["train"], label="Train a model", icon=":material/model_training:")
    right.page_link(PAGES["home"], label="Home: Reproduce Figure 2", icon=":material/home:")


def empty_hint(action: str) -> None:
    """Where a result will appear: which button fills it."""
    st.caption(f"Nothing computed yet: press “{action}”.")


def run_label(run: RunInfo) -> str:
    direction = {True: "reversed", False: "forward", None: "?"}[run.reverse_source]
    state_note = "" if run.state == "finished" else f", {run.state}"
    demo = ", demo" if run.demo else ""
    return f"{run.name} ({direction}, step {run.step}{state_note}{demo})"


def run_picker(
    label: str, runs: list[RunInfo], key: str, remember: str = state.RUN, index: int = 0
) -> RunInfo:
    """A selectbox of runs; the choice is remembered in session state under `remember` (across pages)."""
    by_name = {r.name: r for r in runs}
    names = list(by_name)
    if st.session_state.get(key) not in by_name:  # first visit, or the run was deleted
        gone = st.session_state.get(key)
        wanted = st.session_state.get(remember)
        st.session_state[key] = wanted if wanted in by_name else names[min(index, len(names) - 1)]
        if gone is not None:  # say so: the page now shows another run than the one chosen
            st.warning(
                f"Run {gone} is no longer in the runs folder (deleted or moved): {label.lower()} is now "
                f"{st.session_state[key]}.",
                icon=":material/folder_off:",
            )
    name = st.selectbox(label, names, key=key, format_func=lambda n: run_label(by_name[n]))
    st.session_state[remember] = name
    return by_name[name]


def run_notice(run: RunInfo) -> None:
    """Say what a run's state means for what the page shows."""
    if run.demo:
        st.caption(f"{run.name} is {READ_ONLY}.")
    elif run.state == "running":
        st.info(
            f"{run.name} is still training: this uses its latest checkpoint (step {run.step}); "
            "a newer checkpoint is picked up on the next action.",
            icon=":material/hourglass_top:",
        )
    elif run.state == "failed":
        st.warning(f"{run.name} failed: {run.message}. Its last checkpoint is used.", icon=":material/error:")
    elif run.state == "finished" and run.message not in ("", "finished"):
        st.caption(f"{run.name}: {run.message}.")  # e.g. why it stopped before its last step
    elif run.state == "stopped" and run.step < run.total_steps:
        st.caption(
            f"{run.name} was stopped at step {run.step} of {run.total_steps}; its last checkpoint is used."
        )


def device_caption() -> None:
    from explorer import cache  # loads torch: after the page's controls

    st.caption(f"Device: **{cache.device_name()}**")


def long_input_notice(sentences: list[str], max_tokens: int) -> None:
    long = [i + 1 for i, s in enumerate(sentences) if len(s.split()) > max_tokens]
    if long:
        st.info(
            f"Sentence {', '.join(map(str, long))} has more than {max_tokens:,} words: the model reads only "
            f"its first {max_tokens:,} tokens, and the output length is capped.",
            icon=":material/content_cut:",
        )


def figure_exports(fig: go.Figure, name: str, key: str, table: pd.DataFrame | None = None) -> None:
    """Download buttons for a figure (HTML, PNG where possible) and its data (CSV)."""
    from explorer import export

    columns = st.columns(4)
    html = _deferred(export.figure_html, fig)
    columns[0].download_button(
        "HTML", html, f"{name}.html", "text/html", key=f"{key}_html", icon=":material/download:"
    )
    if export.png_available():
        png = _deferred(export.figure_png, fig)
        columns[1].download_button(
            "PNG", png, f"{name}.png", "image/png", key=f"{key}_png", icon=":material/image:"
        )
    else:
        columns[1].caption(export.PNG_HINT)
    if table is not None:
        csv = export.table_csv(table)
        columns[2].download_button(
            "CSV", csv, f"{name}.csv", "text/csv", key=f"{key}_csv", icon=":material/table:"
        )


def _deferred(make: Callable, fig: go.Figure) -> Callable[[], bytes]:
    """Build the file only when the button is clicked (a PNG takes Kaleido a second or two)."""
    return lambda: make(fig)
