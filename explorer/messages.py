"""Errors as messages: a user mistake or a vanished run folder is a st.error/st.warning, never a traceback."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.errors import UserError

log = logging.getLogger("seq2seq_explorer")
RAISE_ENV = "S2S_APP_RAISE"  # tests set it: an unexpected error fails the test instead of becoming a message
_CODE_SPAN = re.compile(r"(`[^`\n]*`)")
# what st.error would read as markdown, LaTeX, a :colour[...] directive (Streamlit finds it even with
# the [ escaped: the : is escaped too) or HTML; an underscore inside a
# word cannot emphasise (CommonMark), so paths and names like figure2_left stay as they are
_MARKUP = re.compile(r"[\\*$\[\]<>&~:]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def plain_message(text: str) -> str:
    """An engine message for st.error: a user's sentence quoted in it shows as typed (outside its
    `code` spans, which show as typed anyway)."""
    parts = _CODE_SPAN.split(text)
    return "".join(p if i % 2 else _MARKUP.sub(lambda m: "\\" + m.group(0), p) for i, p in enumerate(parts))


@contextmanager
def shown_errors(doing: str = "", stop: bool = False) -> Iterator[None]:
    """Run a block; show what went wrong as a message. `stop`: end the page after the message.

    Streamlit's own control flow (st.stop, st.rerun, st.switch_page) raises BaseException
    subclasses, which pass through untouched.
    """
    try:
        yield
    except UserError as err:
        st.error(plain_message(str(err)), icon=":material/error:")
    except FileNotFoundError as err:
        st.warning(
            f"A file disappeared while {doing or 'working'}: {err.filename or err}. If the run folder was "
            "deleted, pick another run (Home lists those that exist).",
            icon=":material/folder_off:",
        )
    except Exception as err:
        if os.environ.get(RAISE_ENV):
            raise
        log.exception("unexpected error while %s", doing or "running the page")
        st.error(
            f"Unexpected error while {doing or 'running the page'}: {type(err).__name__}: "
            f"{plain_message(str(err))}. The details are in the server's log.",
            icon=":material/bug_report:",
        )
    else:
        return
    if stop:
        st.stop()


def recompute(results: dict, key: str, doing: str, compute) -> None:
    """results[key] = compute(), shown as a message if it fails; the previous result is dropped
    first, so a failed action never leaves the old answer under its error."""
    results.pop(key, None)
    with shown_errors(doing):
        results[key] = compute()
