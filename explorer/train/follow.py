"""Which run the Train page follows: chosen in its selectbox, or set by a page that started one."""

from __future__ import annotations

import streamlit as st

from explorer import state

FOLLOW_KEY = state.TRAIN_WATCH


def follow(name: str) -> None:
    """Make the Train page follow run `name` (call before the run selectbox is drawn)."""
    st.session_state[state.WATCHED_RUN] = name
    st.session_state[FOLLOW_KEY] = name


def followed_run(names: list[str]) -> str:
    """The Train page's run selectbox; remembers the choice across pages."""
    if st.session_state.get(FOLLOW_KEY) not in names:
        watched = st.session_state.get(state.WATCHED_RUN)
        st.session_state[FOLLOW_KEY] = watched if watched in names else names[0]
    chosen = st.selectbox("Run", names, key=FOLLOW_KEY)
    st.session_state[state.WATCHED_RUN] = chosen
    return chosen
