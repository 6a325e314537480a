"""Home's guide for a first visit: in three lines, what the demo shows and what to try next."""

from __future__ import annotations

import streamlit as st

from core.run.listing import RunInfo
from explorer.widgets import PAGES


def guide(demo: list[RunInfo]) -> None:
    """What the shipped demo pair is (with its dev BLEU) and the three things to try with it."""
    scores = " and ".join(
        f"{'reversed' if r.reverse_source else 'forward'} {r.dev_bleu:.1f}"
        for r in demo
        if r.dev_bleu is not None
    )
    with st.container(border=True):
        st.markdown(
            "**The demo:** a forward and a reversed model, shipped with the app and trained on the built-in "
            f"English → French grammar (dev BLEU {scores}), listed after your own runs, read-only."
        )
        cols = st.columns(3)
        cols[0].page_link(
            PAGES["vectors"], label="Compare their maps of Figure 2", icon=":material/scatter_plot:"
        )
        cols[1].page_link(
            PAGES["translate"], label="Type a sentence to translate", icon=":material/translate:"
        )
        cols[2].page_link(PAGES["study"], label="Open the demo study", icon=":material/science:")
        st.caption(
            "Thought Vectors opens with both models' maps drawn; Translate takes any sentence of the "
            "grammar; Study shows the report of forward, reversed and attention over seeds."
        )
