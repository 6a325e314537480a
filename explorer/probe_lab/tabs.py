"""The Probe Lab page's four tabs (kept here so the page reads top to bottom).

Each tab keeps its answer in `results` (session state, by tool) with what it was computed with:
the widgets may have changed since. A result is cleared before it is recomputed
(messages.recompute), so a failed action never leaves the previous answer under its error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from core.render.probe_margins import margins_by_tag as margins_by_tag_figure
from core.run.listing import RunInfo
from explorer import cache, widgets
from explorer.messages import recompute
from explorer.probe_lab import tools

if TYPE_CHECKING:
    from core.analysis.surgery import OffsetEdit

PROBES_INTRO = (
    "A logistic regression predicts a property (e.g. active or passive) from the vector, 5-fold by "
    "family. The control task shuffles the labels: selectivity = accuracy − control accuracy (Hewitt & "
    "Liang 2019). Silhouette and retrieval ask whether paraphrases cluster by meaning."
)
BY_TAG_INTRO = (
    "A suite's margin split by a tag of its families (construction, names or pronoun, verb, tense), "
    "beside three surface baselines scored the same way: a bag of words, a bag of word bigrams and the "
    "untrained model. A margin is evidence of meaning only when it beats all three (`s2s probe --by TAG`)."
)
DEFAULT_QUERIES = "John admires Mary\nShe was given a card by me in the garden"


@dataclass(frozen=True)
class Vectors:
    """The page's choice of run and thought vector, which the first three tabs compute with."""

    run: RunInfo
    state: str  # core.vector_choice.STATES
    layers: str  # all | top | an index

    @property
    def used(self) -> str:
        """What a result was computed with, for its caption."""
        return f"{self.run.name} · state {self.state}, layers {self.layers}"


@dataclass(frozen=True)
class Offset:
    """A sentence decoded before and after an offset, with the offset the tab added."""

    edit: OffsetEdit
    scale: float
    offset: str  # what the offset should change (tools.OFFSETS)
    run: str


def linear_probes(chosen: Vectors, results: dict) -> None:
    st.caption(PROBES_INTRO)
    suites = cache.builtin_suites()
    left, right = st.columns(2)
    suite = left.selectbox("Suite", list(tools.PROBE_PROPERTY), key="lab_suite")
    pair = right.multiselect(
        "Property: which of two columns",
        suites[suite].columns,
        default=list(tools.PROBE_PROPERTY[suite]),
        max_selections=2,
        key=f"lab_cols_{suite}",
    )

    def probe():
        geometry = tools.linear_probe(
            chosen.run.path, suites[suite], tuple(pair), chosen.state, chosen.layers
        )
        return suite, geometry, chosen.used

    if st.button("Train the probes", icon=":material/model_training:", disabled=len(pair) != 2):
        recompute(results, "probe", "training the probes", probe)
    if not results.get("probe"):
        widgets.empty_hint("Train the probes")
        return
    name, geometry, used = results["probe"]
    probe = geometry.probe
    first, second = geometry.probe_columns
    st.markdown(f"**{name}**: {first} vs {second}, {probe.n} sentences ({used})")
    m = st.columns(5)
    m[0].metric("probe accuracy", f"{probe.accuracy:.1%}")
    m[1].metric("control accuracy", f"{probe.control_accuracy:.1%}")
    m[2].metric("selectivity", f"{probe.selectivity:+.1%}")
    m[3].metric("silhouette (meaning)", f"{geometry.silhouette:.3f}")
    m[4].metric("retrieval accuracy", f"{geometry.retrieval_accuracy:.1%}")
    st.caption(f"Chance (majority class): {probe.chance:.1%}; {probe.folds}-fold cross-validation.")


def margins_by_tag(chosen: Vectors, results: dict) -> None:
    st.caption(BY_TAG_INTRO)
    suites = cache.builtin_suites()
    tagged = [name for name, table in suites.items() if table.split_tags]
    suite = st.selectbox("Suite", tagged, key="lab_tag_suite")

    def score():
        """(suite, run, what it was computed with, the report's JSON with its split by every tag)."""
        table = suites[suite]
        path, mtime = cache.run_key(chosen.run.path)
        key = cache.suite_key(table)
        report, splits = cache.probe_report(
            path, mtime, key, table, chosen.state, chosen.layers, table.split_tags
        )
        by_tag = {split.tag: split.to_dict() for split in splits}
        return suite, chosen.run.name, chosen.used, {**report.to_dict(), "by_tag": by_tag}

    if st.button("Score by tag", icon=":material/stacked_bar_chart:", disabled=not tagged):
        recompute(results, "by_tag", "scoring the suite by tag", score)
    if not results.get("by_tag"):
        widgets.empty_hint("Score by tag")
        return
    name, run_name, used, report = results["by_tag"]
    tag = st.selectbox("Split by", list(report["by_tag"]), key="lab_tag")
    st.caption(f"Computed with {used}. Intervals resample {report['resampling']['described']}.")
    fig = margins_by_tag_figure(report["by_tag"][tag], suite=name, run=run_name)
    st.plotly_chart(fig, key="lab_by_tag")
    (st.success if report["beats_baselines"] else st.warning)(
        f"Whole suite ({report['n']} families): {report['reading']}."
    )
    for group in report["by_tag"][tag]["groups"]:
        if group.get("note"):
            st.caption(f"{tag} = {group['value']}: {group['note']}")


def nearest_neighbours(chosen: Vectors, results: dict) -> None:
    st.caption(
        "The closest sentences of the run's dev and test splits to yours, by cosine of the thought vectors."
    )
    queries = st.text_area("Sentences (one per line)", DEFAULT_QUERIES, key="lab_queries")
    left, right = st.columns(2)
    k = left.slider("Neighbours", 1, 20, 5, key="lab_k")
    limit = right.select_slider("Sentences indexed", [500, 1000, 2000, 5000, 10000], 2000, key="lab_limit")
    if st.button("Find neighbours", icon=":material/hub:"):
        from explorer.translate.translations import sentences_from  # torch: when asked

        def find():
            found = tools.neighbours(
                chosen.run.path, sentences_from(queries), k, limit, chosen.state, chosen.layers
            )
            return chosen.used, found

        recompute(results, "neighbours", "finding neighbours", find)
    _table(results, "neighbours", "Computed with", "Find neighbours")


def _table(results: dict, key: str, made: str, action: str) -> None:
    """A stored (settings, table) result as a caption saying what made it, and its table (or which
    button, `action`, fills it)."""
    if not results.get(key):
        widgets.empty_hint(action)
        return
    used, rows = results[key]
    st.caption(f"{made} {used}.")
    st.dataframe(rows, hide_index=True, width="stretch")


def vector_surgery(run: RunInfo, results: dict) -> None:
    st.caption(
        "The decoder sees the source only through the final (h, c), so any state can be decoded. These "
        "edit the full state of every layer (the State and Layers choices above do not apply)."
    )
    _interpolation(run, results)
    _offset(run, results)


def _interpolation(run: RunInfo, results: dict) -> None:
    st.markdown("**Interpolate** between two sentences' states")
    left, right = st.columns(2)
    source = left.text_input("From", "John admires Mary", key="lab_from")
    target = right.text_input("To", "Mary is admired by John", key="lab_to")
    left, right = st.columns(2)
    steps = left.slider("Points", 2, 11, 5, key="lab_steps")
    beam = right.slider(
        "Beam",
        value=1,
        key="lab_beam",
        help="1 = greedy search",
        **widgets.option_bounds(widgets.SEARCH["beam"]),
    )
    if st.button("Interpolate", icon=":material/linear_scale:"):

        def decode():
            return run.name, tools.interpolation(run.path, source, target, steps, beam)

        recompute(results, "interpolation", "decoding the interpolation", decode)
    _table(results, "interpolation", "Decoded by", "Interpolate")


def _offset(run: RunInfo, results: dict) -> None:
    st.markdown("**Add an offset**: the mean difference between two columns of a suite")
    left, mid, right = st.columns([2, 1, 1])
    sentence = left.text_input("Sentence", "John admires Mary", key="lab_offset_sentence")
    suite = mid.selectbox(
        "Offset", list(tools.OFFSETS), format_func=lambda s: tools.OFFSETS[s][2], key="lab_offset_suite"
    )
    scale = right.slider("Scale", -2.0, 3.0, 1.0, 0.25, key="lab_scale")
    if st.button("Add the offset and decode", icon=":material/add_circle:"):

        def decode() -> Offset:
            edit = tools.offset(run.path, suite, sentence, scale)
            return Offset(edit, scale, tools.OFFSETS[suite][2], run.name)

        recompute(results, "offset", "decoding the edited vector", decode)
    if not results.get("offset"):
        widgets.empty_hint("Add the offset and decode")
        return
    shown: Offset = results["offset"]
    edit = shown.edit
    st.caption(f"Decoded by {shown.run}: {shown.offset}.")
    vectors = ["the sentence's own", f"+ {shown.scale:g} × offset"]
    st.dataframe({"vector": vectors, "decoded": [edit.before, edit.after]}, hide_index=True, width="stretch")
    st.caption(
        f"Offset norm {edit.offset_norm:.2f} (the sentence's state: {edit.state_norm:.2f}), "
        f"averaged over {edit.n_families} families."
    )
