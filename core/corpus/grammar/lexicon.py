"""The words of the built-in grammar: English forms and their French counterparts.

Every entry carries what French realisation needs: gender, the full present tense, the past
participle. Whether a French word starts with a vowel (elision: "j'admire", "d'Anna") is not
stored; `french.starts_with_vowel` reads it off the spelling.
"""

from __future__ import annotations

from dataclasses import dataclass

# French persons in conjugation-table order: je, tu, il/elle, nous, vous, ils/elles.
PERSONS = ("1sg", "2sg", "3sg", "1pl", "2pl", "3pl")


@dataclass(frozen=True)
class Pronoun:
    subject: str  # English subject form, also the pronoun's key: "I"
    object: str  # English object form: "me"
    person: int  # 1, 2 or 3
    plural: bool
    feminine: bool  # only "she" is: I/you/we/they take the generic masculine in French
    fr_subject: str  # je
    fr_direct: str  # direct-object clitic: me (m' before a vowel)
    fr_indirect: str  # indirect-object clitic: me, lui, leur
    fr_disjunctive: str  # after a preposition: par moi, amoureux de moi


# "you" is always the familiar singular (tu/te/toi) so that every English sentence has one French
# translation. "they"/"them" is always ils/les/leur/eux: a lone sentence never says who "they" are,
# and French uses the masculine for a group of unknown gender. The same goes for the gender of
# I/you/we ("je suis amoureux", "il nous a vus").
PRONOUNS: dict[str, Pronoun] = {
    p.subject: p
    for p in (
        Pronoun("I", "me", 1, False, False, "je", "me", "me", "moi"),
        Pronoun("you", "you", 2, False, False, "tu", "te", "te", "toi"),
        Pronoun("he", "him", 3, False, False, "il", "le", "lui", "lui"),
        Pronoun("she", "her", 3, False, True, "elle", "la", "lui", "elle"),
        Pronoun("we", "us", 1, True, False, "nous", "nous", "nous", "nous"),
        Pronoun("they", "them", 3, True, False, "ils", "les", "leur", "eux"),
    )
}

# Names are kept as they are in French; the value says whether the person is female.
NAMES: dict[str, bool] = {
    "John": False,
    "Mary": True,
    "Paul": False,
    "Anna": True,
    "Peter": False,
    "Sophie": True,
    "Thomas": False,
    "Julie": True,
}


@dataclass(frozen=True)
class Verb:
    base: str  # English: admire
    third: str  # admires
    past: str  # admired
    participle: str  # admired
    fr_infinitive: str  # admirer
    fr_present: tuple[str, str, str, str, str, str]  # in PERSONS order
    fr_participle: str  # admiré (masculine singular)


def _regular_er(stem: str) -> tuple[str, str, str, str, str, str]:
    """Present tense of a regular -er verb: admir -> admire, admires, admire, admirons, ..."""
    return (stem + "e", stem + "es", stem + "e", stem + "ons", stem + "ez", stem + "ent")


def _verb(english: str, fr_infinitive: str, present: str = "", participle: str = "") -> Verb:
    """One verb from its table row: English base, 3rd person, past, participle; the French
    infinitive; its present in PERSONS order and participle when not those of a regular -er verb."""
    base, third, past, past_participle = english.split()
    stem = fr_infinitive[:-2]
    forms = tuple(present.split()) or _regular_er(stem)
    return Verb(base, third, past, past_participle, fr_infinitive, forms, participle or stem + "é")


def _verbs(table: str) -> dict[str, Verb]:
    """A verb table, one verb a line: `english forms | infinitive [| present | participle]`."""
    rows = [[cell.strip() for cell in line.split("|")] for line in table.strip().splitlines()]
    return {v.base: v for v in (_verb(*row) for row in rows)}


# All take a direct object in French too, so "John l'admire" and the passive both work.
# "louer" would also read as "to rent"; "féliciter" keeps one sense.
TRANSITIVE_VERBS: dict[str, Verb] = _verbs("""
admire admires admired admired     | admirer
respect respects respected respected | respecter
love loves loved loved             | aimer
see sees saw seen                  | voir      | vois vois voit voyons voyez voient | vu
help helps helped helped           | aider
know knows knew known              | connaître | connais connais connaît connaissons connaissez connaissent | connu
call calls called called           | appeler   | appelle appelles appelle appelons appelez appellent
follow follows followed followed   | suivre    | suis suis suit suivons suivez suivent | suivi
watch watches watched watched      | regarder
praise praises praised praised     | féliciter
thank thanks thanked thanked       | remercier
""")

# Give something to someone: French puts the recipient after "à" (or an indirect clitic).
DITRANSITIVE_VERBS: dict[str, Verb] = _verbs("""
give gives gave given              | donner
send sends sent sent               | envoyer   | envoie envoies envoie envoyons envoyez envoient
show shows showed shown            | montrer
offer offers offered offered       | offrir    | offre offres offre offrons offrez offrent | offert
""")


@dataclass(frozen=True)
class Noun:
    english: str
    french: str
    feminine: bool


# The things given. "map" is "plan" so that "card" alone is "carte".
OBJECTS: dict[str, Noun] = {
    n.english: n
    for n in (
        Noun("card", "carte", True),
        Noun("book", "livre", False),
        Noun("letter", "lettre", True),
        Noun("flower", "fleur", True),
        Noun("photo", "photo", True),
        Noun("key", "clé", True),
        Noun("gift", "cadeau", False),
        Noun("map", "plan", False),
    )
}


@dataclass(frozen=True)
class Place:
    english: str
    french: str
    feminine: bool
    prepositions: tuple[str, ...]  # English "in" -> dans le/la/l', "at" -> au/à la/à l'


PLACES: dict[str, Place] = {
    p.english: p
    for p in (
        Place("garden", "jardin", False, ("in",)),
        Place("kitchen", "cuisine", True, ("in",)),
        Place("park", "parc", False, ("in", "at")),
        Place("station", "gare", True, ("at",)),
        Place("library", "bibliothèque", True, ("in", "at")),
        Place("school", "école", True, ("in", "at")),
    )
}
