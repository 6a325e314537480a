"""Translate: beam search with n-best lists and log-probabilities, two models side by side."""

import streamlit as st

from explorer import state, widgets
from explorer.messages import shown_errors

widgets.page(
    "Translate",
    ":material/translate:",
    "Beam search with n-best lists and their log-probabilities; two models side by side on the same input.",
)
runs = widgets.require_usable_runs()

left, right = st.columns(2)
with left:
    first = widgets.run_picker("Model", runs, key=state.TRANSLATE_RUN)
    widgets.run_notice(first)
with right:
    side_by_side = st.checkbox("Side by side with a second model", value=len(runs) > 1, key="translate_two")
    second = None
    if side_by_side:
        second = widgets.run_picker(
            "Second model",
            runs,
            key=state.TRANSLATE_RUN2,
            remember=state.SECOND_RUN,
            index=1 if len(runs) > 1 else 0,
        )
        widgets.run_notice(second)

text = st.text_area(
    "Sentence (one per line)",
    value="John admires Mary\nMary is in love with John",
    height=110,
    key="translate_text",
    max_chars=200_000,
)
cols = st.columns(3)
beam = cols[0].slider(
    "Beam size",
    value=widgets.SEARCH["beam"].default,
    key="translate_beam",
    help="1 = greedy search; the paper used 2 to 12",
    **widgets.option_bounds(widgets.SEARCH["beam"]),
)
nbest = cols[1].slider(
    "n-best", 1, beam, min(3, beam), key="translate_nbest", help="hypotheses shown per sentence"
)
penalty = cols[2].number_input(
    "Length penalty",
    value=widgets.SEARCH["length_penalty"].default,
    step=0.1,
    key="translate_lp",
    help="GNMT alpha; 0 ranks by the raw log-probability, as the paper does",
    **widgets.option_bounds(widgets.SEARCH["length_penalty"]),
)

translate = st.button("Translate", type="primary", icon=":material/translate:")

from explorer.translate import translations  # torch: after the page's controls

if translate:
    sentences = translations.sentences_from(text)
    st.session_state[state.TRANSLATIONS] = None
    if not sentences:
        st.warning("Type a sentence to translate (one per line).", icon=":material/edit:")
    elif len(sentences) > translations.MAX_SENTENCES:
        st.warning(
            f"{len(sentences)} lines: the page translates at most {translations.MAX_SENTENCES}. "
            "For a file, use `s2s translate --run RUN --input FILE`."
        )
    else:
        with shown_errors("translating"):
            models = [first] + ([second] if second is not None else [])
            results = [translations.translate_with(m.path, sentences, beam, nbest, penalty) for m in models]
            st.session_state[state.TRANSLATIONS] = {"sentences": sentences, "results": results, "beam": beam}

shown = st.session_state[state.TRANSLATIONS]
if not shown:
    widgets.empty_hint("Translate")
else:
    for i, sentence in enumerate(shown["sentences"]):
        st.markdown(f"**{i + 1}.**")
        st.text(sentence if len(sentence) < 300 else sentence[:300] + " …")  # as typed (st.text)
        columns = st.columns(len(shown["results"]))
        for column, result in zip(columns, shown["results"]):
            with column:
                st.caption(result.title)
                if result.cut[i]:
                    st.info(
                        f"Cut: the model reads only the first {translations.MAX_SOURCE_TOKENS:,} tokens of "
                        "this sentence.",
                        icon=":material/content_cut:",
                    )
                if result.unknown[i]:
                    unknown = ", ".join(map(widgets.literal, result.unknown[i]))
                    st.caption(f"Words this model never saw: {unknown}")
                st.dataframe(result.nbest[i], hide_index=True, width="stretch")
                if result.attention:
                    with st.expander("Attention weights"), shown_errors("reading the attention weights"):
                        fig = translations.attention_figure(result.path, sentence, shown["beam"])
                        st.plotly_chart(fig, key=f"attention_{i}_{result.run}")
                        st.caption(translations.NOT_AN_EXPLANATION)
