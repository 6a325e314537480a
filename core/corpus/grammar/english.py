"""English realisation of a frame, tokenised as in the paper's Figure 2.

Words are separated by single spaces, the comma after a fronted phrase is its own token, there is
no final period and the first letter is a capital: "In the garden , I gave her a card".
"""

from __future__ import annotations

from core.corpus.grammar.frames import Entity, Frame
from core.corpus.grammar.lexicon import DITRANSITIVE_VERBS, PRONOUNS, TRANSITIVE_VERBS


def subject_form(entity: Entity) -> list[str]:
    return [entity.pronoun] if entity.pronoun else _names(entity)


def object_form(entity: Entity) -> list[str]:
    return [PRONOUNS[entity.pronoun].object] if entity.pronoun else _names(entity)


def _names(entity: Entity) -> list[str]:
    return " and ".join(entity.names).split()


def _is_third_singular(entity: Entity) -> bool:
    return entity.person == 3 and not entity.plural


def be(subject: Entity, tense: str) -> str:
    if tense == "present":
        return "am" if subject.pronoun == "I" else "is" if _is_third_singular(subject) else "are"
    return "was" if subject.pronoun == "I" or _is_third_singular(subject) else "were"


def indefinite(noun: str) -> list[str]:
    return ["an" if noun[0] in "aeiou" else "a", noun]


def english_sentence(frame: Frame) -> str:
    """The English side of `frame` (assumed valid: see frames.check_frame)."""
    clause = _clause(frame)
    if frame.place:
        place = [frame.preposition, "the", frame.place]
        clause = [*place, ",", *clause] if frame.fronted else [*clause, *place]
    text = " ".join(clause)
    return text[0].upper() + text[1:]


def _clause(frame: Frame) -> list[str]:
    agent, patient = frame.agent, frame.patient
    if frame.kind == "in_love":
        return [*subject_form(agent), be(agent, frame.tense), "in", "love", "with", *object_form(patient)]
    if frame.kind == "passive":
        verb = TRANSITIVE_VERBS[frame.verb]
        return [*subject_form(patient), be(patient, frame.tense), verb.participle, "by", *object_form(agent)]
    if frame.kind == "ditransitive_passive":
        verb = DITRANSITIVE_VERBS[frame.verb]
        return [
            *subject_form(patient),
            be(patient, frame.tense),
            verb.participle,
            *indefinite(frame.theme),
            "by",
            *object_form(agent),
        ]
    ditransitive = frame.kind == "ditransitive"
    verb = (DITRANSITIVE_VERBS if ditransitive else TRANSITIVE_VERBS)[frame.verb]
    if frame.tense == "past":
        form = verb.past
    else:
        form = verb.third if _is_third_singular(agent) else verb.base
    words = [*subject_form(agent), form, *object_form(patient)]
    return [*words, *indefinite(frame.theme)] if ditransitive else words
