"""Text normalisation applied to every sentence read from a corpus.

Real corpora mix several encodings of "the same" text: Tatoeba's French uses U+202F/U+00A0
before `! ? : ;` and inside guillemets, and both ASCII ' and U+2019 as apostrophes. Left alone,
a subword tokenizer learns two pieces for one word and the model sees spurious differences.
"""

from __future__ import annotations

import re
import unicodedata

# Every Unicode space separator (category Zs) besides U+0020, plus tabs and line separators
# that may sit inside a line: all become a plain space (runs are collapsed afterwards).
_SPACES = (
    "\t\v\f\r\x85\u00a0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# Invisible characters that only split words for a tokenizer: zero width space, soft hyphen, BOM.
_DROPPED = "\u200b\u00ad\ufeff"
# Apostrophe look-alikes. U+2018 is included because it is mostly typed as a mistaken apostrophe
# (‘cause, rock ‘n’ roll); U+0060 is handled by a pattern, since ` is also code markup.
_APOSTROPHES = "\u2019\u2018\u02bc"

_TABLE = str.maketrans(
    {**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_DROPPED, None), **dict.fromkeys(_APOSTROPHES, "'")}
)
_BACKTICK_APOSTROPHE = re.compile(r"(?<=\w)`(?=\w)")  # don`t, l`homme


def normalize_text(s: str) -> str:
    """Return `s` in NFC with odd spaces, invisible characters and apostrophes unified.

    Whitespace runs collapse to one space and the ends are stripped. Guillemets and other
    punctuation are kept as they are.
    """
    if s.isascii():  # fast path: most English lines
        if "`" in s:
            s = _BACKTICK_APOSTROPHE.sub("'", s)
        return " ".join(s.split())
    # NFC after the table: dropping an invisible character can join a letter and its accent
    # ("e\u00ad\u0301" -> "e\u0301"), which must still compose. (No character NFC yields is in the table.)
    s = unicodedata.normalize("NFC", s.translate(_TABLE))
    if "`" in s:
        s = _BACKTICK_APOSTROPHE.sub("'", s)
    return " ".join(s.split())
