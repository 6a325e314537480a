"""The Thought Vectors page's controls and result blocks (kept here so the page reads top to bottom)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from core.render.similarity import similarity_heatmaps
from core.render.thought_map import thought_map
from core.render.trajectory import trajectory_map
from core.run.listing import RunInfo
from explorer import cache, export, jobs, state, widgets
from explorer.offered_runs import figure2_pair
from explorer.thought_vectors.maps import METHOD_NAMES, MapOptions, Panel, coordinates_frame
from explorer.thought_vectors.score_lines import baseline_line, evidence_line, score_line
from explorer.thought_vectors.sentence_sets import SentenceSet, figure2_sets, from_blocks, from_table

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from core.analysis.trajectories import TrajectoryMap

SOURCES = ("Figure 2 phrase sets", "Typed sentence groups", "Probe suite")
EXAMPLE = (
    "John admires Mary\nMary is admired by John\nJohn respects Mary\n\n"
    "Mary admires John\nJohn is admired by Mary\nMary respects John"
)
UPLOAD = "upload a TSV suite…"
METHODS = METHOD_NAMES
PROJECTION_HELP = (
    "UMAP and t-SNE first reduce to 50 dimensions with PCA; the first UMAP map takes some seconds more "
    "(numba compiles)"
)
ALIGN_HELP = (
    "Procrustes: each model's own map, rotated and scaled onto the first. Fixed basis: the first model's "
    "axes for both (same vector size needed; not for t-SNE)"
)


def open_on_figure2(runs: list[RunInfo]) -> bool:
    """Call before the page's widgets. When Home's Reproduce Figure 2 lands here, or on the page's
    first visit in a session, choose the Figure 2 pair (the user's own from Home's button, else the
    demo pair) and the paper's two phrase sets. True: draw them now, with no click."""
    asked = st.session_state[state.TV_DRAW_FIGURE2]
    first = not st.session_state[state.TV_AUTO_DRAWN] and st.session_state[state.TV_RESULT] is None
    st.session_state[state.TV_DRAW_FIGURE2] = False
    st.session_state[state.TV_AUTO_DRAWN] = True
    pair = figure2_pair(runs, jobs.FIGURE2_RUNS)
    if not (asked or first) or pair is None:
        return asked
    forward, reversed_ = pair
    st.session_state[state.TV_RUN] = reversed_.name
    st.session_state[state.TV_RUN2] = forward.name
    st.session_state[state.TV_TWO] = True
    st.session_state[state.TV_SOURCE] = SOURCES[0]
    return True


def model_choice(runs: list[RunInfo]) -> list[RunInfo]:
    left, right = st.columns(2)
    with left:
        first = widgets.run_picker("Model", runs, key=state.TV_RUN)
        widgets.run_notice(first)
    chosen = [first]
    with right:
        if st.checkbox("Side by side with a second model", value=len(runs) > 1, key=state.TV_TWO):
            second = widgets.run_picker(
                "Second model", runs, key=state.TV_RUN2, remember=state.SECOND_RUN, index=1
            )
            widgets.run_notice(second)
            chosen.append(second)
    return chosen


def sentence_sets() -> list[SentenceSet]:
    source = st.radio(
        "Sentences", SOURCES, horizontal=True, key=state.TV_SOURCE, label_visibility="collapsed"
    )
    if source == SOURCES[0]:
        st.caption(
            "Left panel: the same roles with another verb vs the roles swapped. Right panel: active, fronted "
            "and passive paraphrases vs giver and recipient swapped. Solid lines join an anchor to its "
            "paraphrases, dashed lines to its swap."
        )
        return figure2_sets(cache.builtin_suites())
    if source == SOURCES[1]:
        text = st.text_area(
            "One sentence per line, a blank line between groups (or paste a probe suite TSV)",
            EXAMPLE,
            height=170,
            key="tv_text",
            max_chars=500_000,
        )
        return [from_blocks(text)]
    suites = cache.builtin_suites()
    left, right = st.columns([2, 1])

    def describe(name: str) -> str:
        return name if name == UPLOAD else f"{name}: {suites[name].description.splitlines()[0][:90]}"

    name = left.selectbox("Suite", [*suites, UPLOAD], key="tv_suite", format_func=describe)
    families = right.slider(
        "Families shown", 2, 200, 30, key="tv_families", help="the map shows the first N families"
    )
    if name == UPLOAD:
        file = st.file_uploader("Probe suite (TSV: family, then one column per variant)", key="tv_suite_file")
        if file is None:
            st.info(
                "Upload a suite, e.g. `family<TAB>active<TAB>passive<TAB>swapped` and one family per line."
            )
            st.stop()
        from core.corpus.probe_suite import parse_suite

        table = parse_suite(_text(file.getvalue(), file.name), file.name.rsplit(".", 1)[0])
    else:
        table = suites[name]
    return [from_table(table, families)]


def _text(data: bytes, name: str) -> str:
    from core.errors import UserError

    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{name} is not UTF-8 text: a probe suite is a TSV text file") from None


def map_options(models: list[RunInfo]) -> MapOptions:
    layers = widgets.run_layers(models[0]) if models else 1
    cols = st.columns(5)
    state_, layer = widgets.vector_pickers(cols[0], cols[1], "tv", layers)
    method = cols[2].selectbox(
        "Projection", list(METHODS), format_func=METHODS.get, key="tv_method", help=PROJECTION_HELP
    )
    dims = cols[3].radio("Dimensions", [2, 3], horizontal=True, key="tv_dims")
    align = "procrustes"
    if len(models) > 1:
        align = cols[4].radio(
            "Shared axes",
            ["procrustes", "basis"],
            key="tv_align",
            format_func={"procrustes": "Procrustes", "basis": "fixed basis"}.get,
            help=ALIGN_HELP,
        )
    return MapOptions(state_, layer, method, int(dims), align)


def display_options(panels: list[Panel]) -> tuple[bool, str]:
    n = max(len(p.sentence_set.sentences) for p in panels)
    left, right = st.columns(2)
    show_text = left.checkbox("Show sentences on the map", value=n <= 30, key="tv_labels")
    colour_by = right.radio(
        "Colour by",
        ["group", "column", "family"],
        horizontal=True,
        key="tv_colour",
        format_func={"group": "meaning / group", "column": "variant column", "family": "family"}.get,
    )
    return show_text, colour_by


def panel_header(panel: Panel) -> None:
    from core.run.loaded import MAX_SOURCE_TOKENS  # torch, loaded by the map's computation already

    shown = panel.sentence_set
    st.markdown(f"#### {widgets.literal(shown.name)} · {len(shown.sentences)} sentences")
    if shown.note:
        st.info(shown.note, icon=":material/content_cut:")
    widgets.long_input_notice(list(shown.sentences), MAX_SOURCE_TOKENS)
    for m in panel.models:
        if m.unknown:
            words = ", ".join(map(widgets.literal, m.unknown[:20]))
            st.warning(f"{m.name} never saw these words (read as unknown): {words}", icon=":material/help:")


def panel_map(panel: Panel, show_text: bool, colour_by: str, key: str) -> go.Figure:
    """The set in every model's map, side by side in shared axes; returns the figure (exported)."""
    shown = panel.sentence_set
    fig = thought_map(
        [{"title": m.title, "coords": m.coords} for m in panel.models],
        shown.sentences,
        shown.group_of(colour_by),
        shown.links,
        show_text=show_text,
        title=panel.title,
    )
    st.plotly_chart(fig, key=key)
    return fig


def panel_similarity(panel: Panel, key: str) -> None:
    """Every model's cosine similarities of the set's first sentences, one heatmap each."""
    fig = similarity_heatmaps([(m.title, m.cosine) for m in panel.models], panel.heatmap_sentences)
    st.plotly_chart(fig, key=key)


def trajectories(traced: list[TrajectoryMap], key: str) -> None:
    """The encoder's paths, one panel per run."""
    st.plotly_chart(trajectory_map([m.to_dict() for m in traced]), key=key)


def panel_scores(panel: Panel) -> None:
    columns = st.columns(len(panel.models))
    for column, m in zip(columns, panel.models):
        with column:
            st.markdown(f"**{m.title}** · {m.dim:,} numbers per sentence")
            quality = f"Faithfulness ({m.k}-NN kept in the map): **{m.faithfulness:.0%}**"
            if m.explained_variance:
                shares = ", ".join(f"{v:.0%}" for v in m.explained_variance)
                total = sum(m.explained_variance)
                quality += f" · explained variance per axis: {shares} (total {total:.0%})"
            st.caption(quality)
            if m.score is not None:
                st.markdown("Probe score: " + score_line(m.score))
                st.markdown(baseline_line(m.score))
                (st.success if m.score.beats_baselines else st.warning)(evidence_line(m.score))
            elif m.score_error:
                st.warning(f"No probe score: {m.score_error}")
            if m.silhouette is not None:
                st.caption(f"Silhouette of the groups (cosine): {m.silhouette:.3f}")
    if panel.align:
        axes = "Procrustes alignment" if panel.align == "procrustes" else "the first model basis"
        st.caption(f"Shared axes: {axes}.")


def panel_exports(panel: Panel, fig, colour_by: str, key: str) -> None:
    name = panel.sentence_set.name
    cols = st.columns(4)
    cols[0].download_button(
        "Coordinates (CSV)",
        export.table_csv(coordinates_frame(panel, colour_by)),
        f"{name}-coordinates.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/table:",
    )
    cols[1].download_button(
        "Figure (HTML)",
        lambda: export.figure_html(fig),
        f"{name}-map.html",
        "text/html",
        key=f"{key}_html",
        icon=":material/download:",
    )
    if export.png_available():
        cols[2].download_button(
            "Figure (PNG)",
            lambda: export.figure_png(fig),
            f"{name}-map.png",
            "image/png",
            key=f"{key}_png",
            icon=":material/image:",
        )
    else:
        cols[2].caption(export.PNG_HINT)
    cols[3].download_button(
        "Probe scores (JSON)",
        export.json_bytes(panel.to_dict()),
        f"{name}-scores.json",
        "application/json",
        key=f"{key}_json",
        icon=":material/data_object:",
    )
