"""Semantic frames: who does what to whom, where and when, before any language is chosen.

A frame is realised in English by `english.py` and in French by `french.py`/`sentences.py`.
Swapping roles, changing tense or voice is a `dataclasses.replace` on a frame, which is how the
probe suites build their minimal pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.corpus.grammar.lexicon import DITRANSITIVE_VERBS, NAMES, OBJECTS, PLACES, PRONOUNS, TRANSITIVE_VERBS

# transitive:            John admires Mary / John admire Mary
# passive:               Mary is admired by John / Mary est admirée par John
# in_love:               Mary is in love with John / Mary est amoureuse de John
# ditransitive:          I gave her a card / Je lui ai donné une carte
# ditransitive_passive:  She was given a card by me / Une carte lui a été donnée par moi
KINDS = ("transitive", "passive", "in_love", "ditransitive", "ditransitive_passive")
TENSES = ("present", "past")


@dataclass(frozen=True)
class Entity:
    """A participant: one name, two names joined by "and", or a pronoun (by its English subject form)."""

    names: tuple[str, ...] = ()
    pronoun: str = ""

    @classmethod
    def of(cls, word: str) -> Entity:
        """Entity.of("John"), Entity.of("she"), Entity.of("Mary and Anna")."""
        if word in PRONOUNS:
            return cls(pronoun=word)
        names = tuple(word.split(" and "))
        if not 1 <= len(names) <= 2 or any(n not in NAMES for n in names):
            raise ValueError(f"not a name, a pair of names or a pronoun: {word!r}")
        return cls(names=names)

    @property
    def person(self) -> int:
        return PRONOUNS[self.pronoun].person if self.pronoun else 3

    @property
    def plural(self) -> bool:
        return PRONOUNS[self.pronoun].plural if self.pronoun else len(self.names) > 1

    @property
    def feminine(self) -> bool:
        """French gender: a group is feminine only if everyone in it is."""
        if self.pronoun:
            return PRONOUNS[self.pronoun].feminine
        return all(NAMES[n] for n in self.names)

    @property
    def person_index(self) -> int:
        """Row in a French conjugation table (lexicon.PERSONS): 0 = je ... 5 = ils."""
        return self.person - 1 + (3 if self.plural else 0)

    def overlaps(self, other: Entity) -> bool:
        """True when the two could be the same people ("John admires John", "we admire me")."""
        if self.pronoun or other.pronoun:
            return self.pronoun == other.pronoun or {self.pronoun, other.pronoun} == {"I", "we"}
        return bool(set(self.names) & set(other.names))


@dataclass(frozen=True)
class Frame:
    kind: str  # one of KINDS
    tense: str  # "present" or "past"
    agent: Entity  # who acts: active subject, passive "by" phrase, the one in love, the giver
    patient: Entity  # who is acted on: object, passive subject, the one loved, the recipient
    verb: str = ""  # English base form ("" for in_love)
    theme: str = ""  # what is given (ditransitives): an English noun of OBJECTS
    place: str = ""  # an English noun of PLACES, or "" for none
    preposition: str = ""  # "in" or "at", with a place
    fronted: bool = False  # "In the garden , I gave her a card" (Figure 2, right)

    def swapped(self) -> Frame:
        """The same event with the roles exchanged: "Mary admires John" for "John admires Mary"."""
        return replace(self, agent=self.patient, patient=self.agent)


def check_frame(frame: Frame) -> None:
    """Raise ValueError unless `frame` is one the grammar generates."""
    problems = []
    if frame.kind not in KINDS:
        problems.append(f"kind {frame.kind!r} not in {KINDS}")
    if frame.tense not in TENSES:
        problems.append(f"tense {frame.tense!r} not in {TENSES}")
    ditransitive = frame.kind.startswith("ditransitive")
    if frame.kind == "in_love":
        verb_fits = frame.verb == ""
    else:
        verb_fits = frame.verb in (DITRANSITIVE_VERBS if ditransitive else TRANSITIVE_VERBS)
    if not verb_fits:
        problems.append(f"verb {frame.verb!r} does not fit {frame.kind}")
    if ditransitive != (frame.theme in OBJECTS):
        problems.append(f"theme {frame.theme!r} does not fit {frame.kind}")
    if frame.place:
        if frame.kind == "in_love":
            problems.append("'in love' takes no place")
        if frame.place not in PLACES or frame.preposition not in PLACES[frame.place].prepositions:
            problems.append(f"place {frame.preposition!r} {frame.place!r} is not in the lexicon")
    elif frame.preposition or frame.fronted:
        problems.append("a preposition or fronting needs a place")
    for entity in (frame.agent, frame.patient):
        unknown = (entity.pronoun and entity.pronoun not in PRONOUNS) or set(entity.names) - set(NAMES)
        if (
            unknown
            or len(set(entity.names)) != len(entity.names)
            or bool(entity.names) == bool(entity.pronoun)
        ):
            problems.append(f"{entity} is not one pronoun, one name or two different names")
    if frame.agent.overlaps(frame.patient):
        problems.append("agent and patient must be different people (no reflexives)")
    if problems:
        raise ValueError(f"not a grammar frame ({'; '.join(problems)}): {frame}")
