import unicodedata

import pytest

from core.corpus.normalize import normalize_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Cours\u202f!", "Cours !"),
        ("Quoi\u00a0?", "Quoi ?"),
        ("«\u202fSalut\u202f»", "« Salut »"),  # guillemets kept
        ("a\u2009b\u2007c\u3000d\u205fe", "a b c d e"),
        ("a\tb", "a b"),
        ("  two   spaces  ", "two spaces"),
        ("zero\u200bwidth", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("\ufeffbom", "bom"),
        ("l\u2019homme", "l'homme"),
        ("don\u02bct", "don't"),
        ("\u2018cause", "'cause"),
        ("don`t", "don't"),
        ("code `x` here", "code `x` here"),  # a backtick not between letters is not an apostrophe
        ("", ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_text_composes_to_nfc():
    decomposed = "e\u0301te\u0301"  # "été" with combining accents
    assert normalize_text(decomposed) == "été"
    assert unicodedata.is_normalized("NFC", normalize_text(decomposed))
