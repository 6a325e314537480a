"""English sentence -> frame, for the sentences the grammar generates and no others.

The reader is deliberately loose (it looks for the few patterns of `english.py`) and then
regenerates the English from the frame it found: a sentence is accepted only if that gives back
exactly the same string. So `english_to_french` answers for every generable sentence, and None for
everything else (shifted words, unknown words, wrong agreement, reflexives).
"""

from __future__ import annotations

from dataclasses import replace

from core.corpus.grammar.english import english_sentence
from core.corpus.grammar.frames import Entity, Frame, check_frame
from core.corpus.grammar.lexicon import DITRANSITIVE_VERBS, NAMES, PLACES, PRONOUNS, TRANSITIVE_VERBS
from core.corpus.grammar.sentences import french_sentence

_NAMES = {name.lower(): name for name in NAMES}
_SUBJECTS = {p.subject.lower(): p.subject for p in PRONOUNS.values()}
_OBJECTS = {p.object: p.subject for p in PRONOUNS.values()}
_BE = {"am": "present", "is": "present", "are": "present", "was": "past", "were": "past"}
_TRANSITIVE_PARTICIPLES = {v.participle: v.base for v in TRANSITIVE_VERBS.values()}
_DITRANSITIVE_PARTICIPLES = {v.participle: v.base for v in DITRANSITIVE_VERBS.values()}
_ACTIVE_FORMS: dict[str, tuple[str, str]] = {}  # "admires" -> ("admire", "present")
for _verb in (*TRANSITIVE_VERBS.values(), *DITRANSITIVE_VERBS.values()):
    _ACTIVE_FORMS.update({_verb.base: (_verb.base, "present"), _verb.third: (_verb.base, "present")})
    _ACTIVE_FORMS[_verb.past] = (_verb.base, "past")


def english_to_french(sentence: str) -> str | None:
    """The French translation of a sentence the grammar can generate, else None."""
    frame = parse_english(sentence)
    return None if frame is None else french_sentence(frame)


def parse_english(sentence: str) -> Frame | None:
    """The frame whose English is exactly `sentence`, or None."""
    try:
        frame = _read(sentence.split(" "))
        if frame is None:
            return None
        check_frame(frame)
    except (ValueError, IndexError, KeyError):
        return None
    return frame if english_sentence(frame) == sentence else None


def _read(words: list[str]) -> Frame | None:
    lower = [w.lower() for w in words]
    place, preposition, fronted = "", "", False
    if len(lower) > 4 and lower[0] in ("in", "at") and lower[1] == "the" and lower[3] == ",":
        place, preposition, fronted = lower[2], lower[0], True
        lower = lower[4:]
    elif len(lower) > 3 and lower[-3] in ("in", "at") and lower[-2] == "the" and lower[-1] in PLACES:
        place, preposition = lower[-1], lower[-3]
        lower = lower[:-3]
    frame = _read_clause(lower)
    if frame is None:
        return None
    return replace(frame, place=place, preposition=preposition, fronted=fronted)


def _read_clause(words: list[str]) -> Frame | None:
    """The frame of a clause with no place phrase, or None."""
    subject, i = _read_entity(words, 0, _SUBJECTS)
    head, rest = words[i], words[i + 1 :]
    if head in _BE:
        tense = _BE[head]
        if rest[:3] == ["in", "love", "with"]:
            loved, end = _read_entity(rest, 3, _OBJECTS)
            return _whole(rest, end, kind="in_love", tense=tense, agent=subject, patient=loved)
        if rest[0] in _DITRANSITIVE_PARTICIPLES and rest[1] in ("a", "an") and rest[3] == "by":
            agent, end = _read_entity(rest, 4, _OBJECTS)
            verb = _DITRANSITIVE_PARTICIPLES[rest[0]]
            fields = {"kind": "ditransitive_passive", "verb": verb, "theme": rest[2]}
            return _whole(rest, end, tense=tense, agent=agent, patient=subject, **fields)
        if rest[0] in _TRANSITIVE_PARTICIPLES and rest[1] == "by":
            agent, end = _read_entity(rest, 2, _OBJECTS)
            verb = _TRANSITIVE_PARTICIPLES[rest[0]]
            return _whole(rest, end, kind="passive", tense=tense, agent=agent, patient=subject, verb=verb)
        return None
    if head not in _ACTIVE_FORMS:
        return None
    verb, tense = _ACTIVE_FORMS[head]
    patient, end = _read_entity(rest, 0, _OBJECTS)
    if verb in DITRANSITIVE_VERBS:
        if rest[end : end + 1] not in (["a"], ["an"]):
            return None
        fields = {"kind": "ditransitive", "verb": verb, "theme": rest[end + 1]}
        return _whole(rest, end + 2, tense=tense, agent=subject, patient=patient, **fields)
    return _whole(rest, end, kind="transitive", tense=tense, agent=subject, patient=patient, verb=verb)


def _whole(words: list[str], end: int, **fields) -> Frame | None:
    """The frame of these fields if the clause ends at `end`, else None."""
    return Frame(**fields) if end == len(words) else None


def _read_entity(words: list[str], i: int, pronouns: dict[str, str]) -> tuple[Entity, int]:
    """The participant starting at words[i] and the index after it; KeyError if there is none."""
    if words[i] in _NAMES:
        if words[i + 1 : i + 2] == ["and"] and i + 2 < len(words) and words[i + 2] in _NAMES:
            return Entity(names=(_NAMES[words[i]], _NAMES[words[i + 2]])), i + 3
        return Entity(names=(_NAMES[words[i]],)), i + 1
    return Entity(pronoun=pronouns[words[i]]), i + 1
