"""Random frames: the distribution the built-in corpus is drawn from.

All randomness comes from the `random.Random` passed in, so a seed fixes the corpus.
"""

from __future__ import annotations

import random

from core.corpus.grammar.frames import Entity, Frame
from core.corpus.grammar.lexicon import DITRANSITIVE_VERBS, NAMES, OBJECTS, PLACES, PRONOUNS, TRANSITIVE_VERBS

# How often each construction is drawn: the active transitive most, as in ordinary text; the
# ditransitive often enough that Figure 2's right panel is well covered.
KIND_WEIGHTS = {
    "transitive": 0.30,
    "passive": 0.20,
    "in_love": 0.10,
    "ditransitive": 0.25,
    "ditransitive_passive": 0.15,
}
PLACE_SHARE = {
    "transitive": 0.3,
    "passive": 0.3,
    "in_love": 0.0,
    "ditransitive": 0.8,
    "ditransitive_passive": 0.8,
}
FRONTED_SHARE = 0.35  # of the sentences that have a place
NAME_SHARE, PRONOUN_SHARE = 0.45, 0.45  # the rest are two names joined by "and"

_NAMES = sorted(NAMES)
_PRONOUNS = list(PRONOUNS)  # lexicon order: I, you, he, she, we, they
_KINDS = list(KIND_WEIGHTS)
_WEIGHTS = list(KIND_WEIGHTS.values())
_PLACES = sorted(PLACES)
_OBJECTS = sorted(OBJECTS)


def sample_entity(rng: random.Random, pairs: bool = True, pronouns: bool = True) -> Entity:
    """A name, a pronoun (when `pronouns`) or (when `pairs`) two different names joined by "and"."""
    if not pronouns and not pairs:
        return Entity(names=(rng.choice(_NAMES),))
    roll = rng.random()
    if not pronouns and NAME_SHARE <= roll < NAME_SHARE + PRONOUN_SHARE:
        roll = rng.random() * NAME_SHARE  # the pronoun share goes to single names
    if roll < NAME_SHARE or (not pairs and roll >= NAME_SHARE + PRONOUN_SHARE):
        return Entity(names=(rng.choice(_NAMES),))
    if roll < NAME_SHARE + PRONOUN_SHARE:
        return Entity(pronoun=rng.choice(_PRONOUNS))
    return Entity(names=tuple(rng.sample(_NAMES, 2)))


def sample_frame(
    rng: random.Random,
    kind: str | None = None,
    tense: str | None = None,
    place: bool | None = None,
    fronted: bool | None = None,
    pairs: bool = True,
    pronouns: bool = True,
) -> Frame:
    """A valid frame; the arguments that are not None are fixed, the others drawn. Without
    `pairs` and `pronouns`, every participant is one name (the probe suites' controlled
    families: swapping the roles then changes only the word order)."""
    kind = kind or rng.choices(_KINDS, _WEIGHTS)[0]
    tense = tense or rng.choice(("present", "past"))
    agent = sample_entity(rng, pairs, pronouns)
    patient = sample_entity(rng, pairs, pronouns)
    while patient.overlaps(agent):  # no reflexives: "John admires John", "we admire me"
        patient = sample_entity(rng, pairs, pronouns)
    verb = theme = ""
    if kind in ("transitive", "passive"):
        verb = rng.choice(list(TRANSITIVE_VERBS))
    elif kind != "in_love":
        verb = rng.choice(list(DITRANSITIVE_VERBS))
        theme = rng.choice(_OBJECTS)
    if place is None:
        place = rng.random() < PLACE_SHARE[kind]
    if not place:
        return Frame(kind, tense, agent, patient, verb, theme)
    where = rng.choice(_PLACES)
    preposition = rng.choice(PLACES[where].prepositions)
    if fronted is None:
        fronted = rng.random() < FRONTED_SHARE
    return Frame(kind, tense, agent, patient, verb, theme, where, preposition, fronted)
