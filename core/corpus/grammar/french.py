"""French morphology: conjugation, agreement, articles, clitics, elision and contraction.

Clauses are assembled as lists of full words ("je", "la", "ai", "à", "le", "école") and `finish`
turns them into written French: elision ("j'", "l'", "m'", "d'"), contraction ("au", "aux"), a
capital first letter. Elided forms stay attached to the next word ("l'admire", "d'Anna",
"à l'école"), as in ordinary writing.
"""

from __future__ import annotations

from core.corpus.grammar.lexicon import Noun, Place

AVOIR = ("ai", "as", "a", "avons", "avez", "ont")
ETRE = ("suis", "es", "est", "sommes", "êtes", "sont")
ETRE_IMPARFAIT = ("étais", "étais", "était", "étions", "étiez", "étaient")

_VOWELS = set(
    "aeiouyàâéèêëîïôûù"
)  # no "h": none of the lexicon's words needs it, and h aspiré blocks elision
_ELIDING = {"je", "me", "te", "se", "le", "la", "de", "ne", "que"}
_CONTRACTIONS = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


def starts_with_vowel(word: str) -> bool:
    return word[:1].lower() in _VOWELS


def agree(participle: str, feminine: bool, plural: bool) -> str:
    """Past participle agreement: admiré, admirée, admirés, admirées; vu, vue; offert, offerte."""
    word = participle + ("e" if feminine else "")
    return word + ("s" if plural and not participle.endswith(("s", "x")) else "")


def amoureux(feminine: bool, plural: bool) -> str:
    """ "in love": amoureux (m. sg. and pl.), amoureuse, amoureuses."""
    if feminine:
        return "amoureuses" if plural else "amoureuse"
    return "amoureux"


def indefinite(noun: Noun) -> list[str]:
    return ["une" if noun.feminine else "un", noun.french]


def place_phrase(place: Place, preposition: str) -> list[str]:
    """English "in the garden" -> dans le jardin; "at the park" -> à le parc (finish: au parc)."""
    head = {"in": "dans", "at": "à"}[preposition]
    return [head, "la" if place.feminine else "le", place.french]


def clitic_cluster(direct: str = "", indirect: str = "") -> list[str]:
    """Object clitics in French order: me/te/nous/vous before le/la/les before lui/leur.

    "je te le donne", "je le lui donne". Two clitics of the me/te class, or a me/te-class direct
    object with an indirect one ("*il me lui présente"), cannot be combined: ValueError.
    """
    first_second = {"me", "te", "nous", "vous"}
    third_direct = {"le", "la", "les"}
    third_indirect = {"lui", "leur"}
    if direct and direct not in first_second | third_direct:
        raise ValueError(f"not a direct-object clitic: {direct!r}")
    if indirect and indirect not in first_second | third_indirect:
        raise ValueError(f"not an indirect-object clitic: {indirect!r}")
    if direct and indirect:
        if direct in first_second:
            raise ValueError(f"French cannot cluster {direct!r} with {indirect!r}: use 'à' + a pronoun")
        if indirect in first_second:
            return [indirect, direct]
        return [direct, indirect]
    return [c for c in (direct, indirect) if c]


def finish(words: list[str]) -> str:
    """Written French from full words: elide, contract, capitalise the first letter, join."""
    elided: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _ELIDING and i + 1 < len(words) and starts_with_vowel(words[i + 1]):
            elided.append(word[:-1] + "'" + words[i + 1])
            i += 2
            continue
        elided.append(word)
        i += 1
    out: list[str] = []
    for word in elided:
        if out and (out[-1], word) in _CONTRACTIONS:
            out[-1] = _CONTRACTIONS[out[-1], word]
        else:
            out.append(word)
    text = " ".join(out)
    return text[0].upper() + text[1:]
