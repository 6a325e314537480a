"""Data: the built-in corpus or an uploaded one, validated by the engine, with statistics."""

import streamlit as st

from explorer import cache, state, widgets
from explorer.corpora import upload
from explorer.corpora.summary import corpus_summary, summary_of
from explorer.messages import shown_errors

widgets.page(
    "Data",
    ":material/dataset:",
    "Choose what to train on: the built-in English → French grammar, or your own parallel corpus.",
)
limit_mb = st.get_option("server.maxUploadSize")
source = st.radio(
    "Corpus",
    ["Built-in grammar corpus", "Upload a corpus", "A corpus uploaded before"],
    horizontal=True,
    key="data_source",
)

if source == "Built-in grammar corpus":
    st.markdown(
        "Generated English → French pairs with correct French agreement (passives, past tense, "
        "ditransitives, fronted places). It covers the paper's Figure 2 sentences; the probe-suite "
        "sentences never appear in training. Nothing is downloaded."
    )
    n_pairs = st.number_input(
        "Pairs",
        min_value=upload.MIN_GRAMMAR_PAIRS,
        max_value=upload.MAX_GRAMMAR_PAIRS,
        value=upload.GRAMMAR_PAIRS,
        step=5_000,
        key="grammar_pairs",
        help="split about 90/5/5 into train/dev/test; the same number always gives the same corpus",
    )
    spec = upload.grammar_spec(int(n_pairs))
    if st.button("Generate and show statistics", icon=":material/query_stats:"):
        st.session_state[state.GRAMMAR_SHOWN] = int(n_pairs)
    if st.session_state[state.GRAMMAR_SHOWN] == n_pairs:
        with shown_errors("generating the corpus"):
            corpus_summary(cache.grammar_corpus(int(n_pairs)), key="grammar")
elif source == "Upload a corpus":
    st.markdown(
        f"A TSV (`source<TAB>target` per line, more columns ignored), or two line-aligned files "
        f"(Moses style: the source file, then the target file). UTF-8; `.gz` is fine. "
        f"**Upload limit: {limit_mb} MB per file** (`server.maxUploadSize` in `.streamlit/config.toml`)."
    )
    left, right = st.columns(2)
    src_file = left.file_uploader("TSV, or the source-language file", key="upload_src")
    tgt_file = right.file_uploader("Target-language file (only for two files)", key="upload_tgt")
    spec = None
    if src_file is not None:
        with shown_errors("reading the upload"):
            spec = upload.save_upload(
                upload.Upload(src_file.name, src_file.getvalue()),
                None if tgt_file is None else upload.Upload(tgt_file.name, tgt_file.getvalue()),
            )
            st.success(f"A valid corpus, saved for training as `{spec}`.", icon=":material/check_circle:")
            corpus_summary(summary_of(spec), key="upload")
    elif tgt_file is not None:
        st.warning("Add the source-language file on the left (or a TSV there and no target file).")
else:
    saved = upload.saved_corpora()
    spec = None
    if not saved:
        st.info("No corpus uploaded yet: choose *Upload a corpus* above.")
    else:
        name = st.selectbox("Corpus", list(saved), key="saved_corpus")
        spec = saved[name]
        with shown_errors("reading the corpus"):
            corpus_summary(summary_of(spec), key="saved")

if spec:
    chosen = st.session_state[state.DATA_SPEC] == spec
    if st.button(
        "Train on this corpus" if not chosen else "Chosen for training: open Train",
        type="primary",
        icon=":material/model_training:",
    ):
        st.session_state[state.DATA_SPEC] = spec
        st.switch_page(widgets.PAGES["train"])
