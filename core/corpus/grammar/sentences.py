"""A frame -> its (English, French) pair, one French pattern per construction.

French differs from English where the paper's example needs it (Sutskever et al. 2014, Figure 2):
pronoun objects become clitics before the verb ("John l'admire"), the past is the passé composé
with its participle agreement rules, and there is no dative passive, so "She was given a card by
me" becomes "Une carte lui a été donnée par moi".
"""

from __future__ import annotations

from core.corpus.grammar.english import english_sentence
from core.corpus.grammar.frames import Entity, Frame, check_frame
from core.corpus.grammar.french import (
    AVOIR,
    ETRE,
    ETRE_IMPARFAIT,
    agree,
    amoureux,
    clitic_cluster,
    finish,
    indefinite,
    place_phrase,
)
from core.corpus.grammar.lexicon import DITRANSITIVE_VERBS, OBJECTS, PLACES, PRONOUNS, TRANSITIVE_VERBS


def translate_frame(frame: Frame) -> tuple[str, str]:
    """(English, French) for a grammar frame; ValueError if the grammar cannot generate it."""
    check_frame(frame)
    return english_sentence(frame), french_sentence(frame)


def french_sentence(frame: Frame) -> str:
    """The French side of `frame` (assumed valid: see frames.check_frame)."""
    clause = _CLAUSES[frame.kind](frame)
    if frame.place:
        place = place_phrase(PLACES[frame.place], frame.preposition)
        clause = [*place, ",", *clause] if frame.fronted else [*clause, *place]
    return finish(clause)


def _subject(entity: Entity) -> list[str]:
    if entity.pronoun:
        return [PRONOUNS[entity.pronoun].fr_subject]
    return " et ".join(entity.names).split()


def _after(preposition: str, entity: Entity) -> list[str]:
    """ "par lui", "à Mary et à Anna", "de Paul et d'Anna" (à and de are repeated, par is not)."""
    if entity.pronoun:
        return [preposition, PRONOUNS[entity.pronoun].fr_disjunctive]
    if preposition == "par":
        return [preposition, *_subject(entity)]
    words = [preposition, entity.names[0]]
    for name in entity.names[1:]:
        words += ["et", preposition, name]
    return words


def _verb_group(subject: Entity, tense: str, present: tuple[str, ...], participle: str) -> list[str]:
    """Present: the conjugated verb; past: passé composé with avoir."""
    index = subject.person_index
    return [present[index]] if tense == "present" else [AVOIR[index], participle]


def _transitive(frame: Frame) -> list[str]:
    verb = TRANSITIVE_VERBS[frame.verb]
    agent, patient = frame.agent, frame.patient
    if patient.pronoun:
        # A direct-object clitic precedes the verb, so a past participle agrees with it:
        # "John l'a admirée" (her), "il nous a vus".
        participle = agree(verb.fr_participle, patient.feminine, patient.plural)
        clitics = clitic_cluster(direct=PRONOUNS[patient.pronoun].fr_direct)
        return [*_subject(agent), *clitics, *_verb_group(agent, frame.tense, verb.fr_present, participle)]
    group = _verb_group(agent, frame.tense, verb.fr_present, verb.fr_participle)
    return [*_subject(agent), *group, *_subject(patient)]


def _passive(frame: Frame) -> list[str]:
    verb = TRANSITIVE_VERBS[frame.verb]
    patient = frame.patient
    index = patient.person_index
    auxiliary = [ETRE[index]] if frame.tense == "present" else [AVOIR[index], "été"]
    participle = agree(verb.fr_participle, patient.feminine, patient.plural)  # with être: the subject
    return [*_subject(patient), *auxiliary, participle, *_after("par", frame.agent)]


def _in_love(frame: Frame) -> list[str]:
    agent = frame.agent
    # The state "was in love" is imparfait, not passé composé.
    etre = (ETRE if frame.tense == "present" else ETRE_IMPARFAIT)[agent.person_index]
    return [*_subject(agent), etre, amoureux(agent.feminine, agent.plural), *_after("de", frame.patient)]


def _ditransitive(frame: Frame) -> list[str]:
    verb = DITRANSITIVE_VERBS[frame.verb]
    agent, recipient = frame.agent, frame.patient
    # The clitic is indirect, so the participle does not agree: "je lui ai donné une carte".
    group = _verb_group(agent, frame.tense, verb.fr_present, verb.fr_participle)
    theme = indefinite(OBJECTS[frame.theme])
    if recipient.pronoun:
        clitics = clitic_cluster(indirect=PRONOUNS[recipient.pronoun].fr_indirect)
        return [*_subject(agent), *clitics, *group, *theme]
    return [*_subject(agent), *group, *theme, *_after("à", recipient)]


def _ditransitive_passive(frame: Frame) -> list[str]:
    # French has no "she was given": the thing given becomes the subject and the participle
    # agrees with it: "Une carte lui a été donnée par moi", "Un livre a été donné à Mary par John".
    verb = DITRANSITIVE_VERBS[frame.verb]
    noun = OBJECTS[frame.theme]
    recipient = frame.patient
    auxiliary = [ETRE[2]] if frame.tense == "present" else [AVOIR[2], "été"]
    participle = agree(verb.fr_participle, noun.feminine, plural=False)
    agent = _after("par", frame.agent)
    if recipient.pronoun:
        clitics = clitic_cluster(indirect=PRONOUNS[recipient.pronoun].fr_indirect)
        return [*indefinite(noun), *clitics, *auxiliary, participle, *agent]
    return [*indefinite(noun), *auxiliary, participle, *_after("à", recipient), *agent]


_CLAUSES = {
    "transitive": _transitive,
    "passive": _passive,
    "in_love": _in_love,
    "ditransitive": _ditransitive,
    "ditransitive_passive": _ditransitive_passive,
}
