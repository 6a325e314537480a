"""Minimal-pair probe suites: English source sentences fed to the encoder, grouped in families.

Each family varies one thing (voice, word order, tense, who does what to whom), so comparing the
encoder's vectors within a family asks what the "thought vector" keeps (Sutskever et al. 2014,
section 3.5 and Figure 2). The suites are drawn from fixed seeds, independent of the corpus seed,
so that models trained on corpora with different seeds are scored on the same sentences; smaller
suites are prefixes of larger ones.

Controlled suites (WORD_ORDER_SUITES): the negative has exactly the anchor's words, in another
order. Their families use single names only, so swapping who does what to whom changes no word
form: a bag of words sees the anchor and the negative as the same sentence, and only a
representation of order can put the positive closer. With a pronoun, the swap also changes word
forms ("Mary sees me" / "I see Mary": case and agreement); those families are a suite of their own
(voice_pronoun), as is the paper's own Figure 2 (right), which is kept verbatim.

Every family carries tags (TAGS): its construction, whether its participants are names or include
a pronoun, its verb, its tense and its people (the participants themselves, "John|Mary"), so a
score can be split by tag (`s2s probe --by verb`). The generated suites are crossed from about a
dozen verbs and eight names, so families that share a verb or a person are not independent draws:
their design (DESIGN: verb x people) is what their intervals resample by default
(core.analysis.bootstrap).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from core.corpus.grammar.english import english_sentence
from core.corpus.grammar.frames import Entity, Frame
from core.corpus.grammar.parse import english_to_french
from core.corpus.grammar.sampling import sample_frame
from core.corpus.probe_suite import MULTI, ProbeTable, words

# The paper's Figure 2, verbatim (left: meaning and word order; right: voice and fronting).
FIGURE2_LEFT = (
    "John respects Mary",
    "Mary respects John",
    "John admires Mary",
    "Mary admires John",
    "Mary is in love with John",
    "John is in love with Mary",
)
FIGURE2_RIGHT = (
    "I gave her a card in the garden",
    "In the garden , I gave her a card",
    "She was given a card by me in the garden",
    "She gave me a card in the garden",
    "In the garden , she gave me a card",
    "I was given a card by her in the garden",
)
DEFAULT_FAMILIES = 200
TAGS = ("construction", "participants", "verb", "tense", "people")  # the tag columns of every built-in suite
DESIGN = ("verb", "people")  # the generated suites' crossed factors: resampled together by default
NAMES, PRONOUN = "names", "pronoun"  # values of the participants tag
# Suites whose negative is the anchor's words in another order (tested: the same multiset).
WORD_ORDER_SUITES = ("voice", "fronting", "bshift", "tense", "figure2_left")
# Suites whose negative swaps the roles through word forms (pronoun case, verb agreement).
WORD_FORM_SUITES = ("voice_pronoun", "figure2_right")

Family = tuple[tuple[str, ...], tuple[str, ...]]  # (sentences by column, tag values by TAGS)


def frame_tags(frame: Frame) -> tuple[str, ...]:
    """The TAGS of a family, read off its anchor's frame."""
    participants = PRONOUN if frame.agent.pronoun or frame.patient.pronoun else NAMES
    people = [*_people(frame.agent), *_people(frame.patient)]
    return (
        frame.kind,
        participants,
        frame.verb or "be in love",
        frame.tense,
        MULTI.join(dict.fromkeys(people)),
    )


def _people(entity: Entity) -> tuple[str, ...]:
    """The people of a participant: its names, or its pronoun."""
    return entity.names or (entity.pronoun,)


def figure2_suites() -> tuple[ProbeTable, ProbeTable]:
    """The paper's Figure 2 sentences as two suites: figure2_left and figure2_right."""
    john_mary = (Entity.of("John"), Entity.of("Mary"))
    john, mary = (Frame("transitive", "present", *pair, "admire") for pair in (john_mary, john_mary[::-1]))
    left, left_tags = [], []
    for verb, other in (("admire", "respect"), ("respect", "admire")):
        for frame in (john, mary):
            frame = replace(frame, verb=verb)
            left.append(_english(frame, replace(frame, verb=other), frame.swapped()))
            left_tags.append(frame_tags(frame))
    for frame in (john, mary):
        love = replace(frame, kind="in_love", verb="")
        left.append(_english(love, replace(frame, verb="admire"), love.swapped()))
        left_tags.append(frame_tags(love))
    right = [FIGURE2_RIGHT[0:3] + FIGURE2_RIGHT[3:4], FIGURE2_RIGHT[3:6] + FIGURE2_RIGHT[0:1]]
    right_tags = [
        ("ditransitive", PRONOUN, "give", "past", f"I{MULTI}she"),
        ("ditransitive", PRONOUN, "give", "past", f"she{MULTI}I"),
    ]
    return (
        _table(
            "figure2_left",
            ("sentence", "other_verb", "swapped"),
            [*zip(left, left_tags)],
            "Figure 2 (left): same roles with another verb should be closer to the sentence than "
            "the same words with the roles swapped",
        ),
        _table(
            "figure2_right",
            ("canonical", "fronted", "passive", "swapped"),
            [*zip(right, right_tags)],
            "Figure 2 (right), verbatim: the passive paraphrase should be closer to the canonical "
            "sentence than the one with giver and recipient swapped; the swap also changes pronoun "
            "case (I/me, she/her), so a bag of words already tells it apart",
            roles=("canonical", "passive", "swapped"),
        ),
    )


GENERATED = {  # name -> (columns: anchor, positive, negative; what the suite contrasts)
    "voice": (
        ("active", "passive", "swapped"),
        "a passive paraphrase vs the roles swapped (single names only: the swapped sentence has "
        "the active's words in another order)",
    ),
    "voice_pronoun": (
        ("active", "passive", "swapped"),
        "as voice, with a pronoun in every family: the swapped sentence also changes word forms "
        "(pronoun case, verb agreement: 'Mary sees me' / 'I see Mary'), so its margin measures "
        "pronoun morphology as much as who does what to whom",
    ),
    "fronting": (
        ("canonical", "fronted", "swapped"),
        "a fronted place vs giver/recipient swapped (single names only)",
    ),
    "bshift": (
        ("original", "passive", "shifted"),
        "a paraphrase vs two adjacent words swapped (the shifted sentence leaves the grammar)",
    ),
    "tense": (
        ("present", "past", "swapped"),
        "the same event in the past vs the roles swapped (single names only)",
    ),
}


def generated_suites(n_families: int = DEFAULT_FAMILIES) -> tuple[ProbeTable, ...]:
    """The voice, voice_pronoun, fronting, bshift and tense suites, `n_families` families each."""
    makers = {
        "voice": _voice,
        "voice_pronoun": _voice_pronoun,
        "fronting": _fronting,
        "bshift": _bshift,
        "tense": _tense,
    }
    suites = []
    for name, (columns, what) in GENERATED.items():
        families = _families(random.Random(f"grammar-probes-{name}"), n_families, makers[name])
        suites.append(_table(name, columns, families, f"{name}: {what}", cluster=DESIGN))
    return tuple(suites)


def build_probe_suites(n_families: int = DEFAULT_FAMILIES) -> dict[str, ProbeTable]:
    """Every built-in suite by name: the generated ones, `n_families` families each, and Figure 2's."""
    return {suite.name: suite for suite in (*generated_suites(n_families), *figure2_suites())}


def builtin_probe_suites() -> dict[str, ProbeTable]:
    """build_probe_suites() at DEFAULT_FAMILIES, built once per process: the suites every run is
    scored on (core.analysis.suites), whose sentences no generated corpus may contain."""
    return {suite.name: suite for suite in _builtin_probe_suites()}


@lru_cache(maxsize=1)
def _builtin_probe_suites() -> tuple[ProbeTable, ...]:  # a tuple: no caller can change the cached suites
    return tuple(build_probe_suites().values())


def _table(
    name: str,
    columns: tuple[str, ...],
    families: list[Family],
    what: str,
    roles: tuple[str, str, str] | None = None,
    cluster: tuple[str, ...] = (),
) -> ProbeTable:
    anchor, positive, negative = roles or columns
    description = (
        f"{what}; the positive should be closer to the anchor than the negative; "
        f"anchor={anchor} positive={positive} negative={negative}"
    )
    if cluster:
        description += f"\nits families are crossed from a few verbs and names: cluster={','.join(cluster)}"
    return ProbeTable(
        name,
        columns,
        tuple(str(i) for i in range(1, len(families) + 1)),
        tuple(row for row, _ in families),
        description,
        anchor,
        positive,
        negative,
        TAGS,
        tuple(tags for _, tags in families),
        cluster,
    )


def _families(rng: random.Random, n: int, make: Callable[[random.Random], Family | None]) -> list[Family]:
    """`n` families; a family that repeats a sentence already in the suite is drawn again."""
    families: list[Family] = []
    seen: set[str] = set()
    while len(families) < n:
        family = make(rng)
        if family is None:
            continue
        row = family[0]
        if seen & set(row) or len(set(row)) < len(row):
            continue
        families.append(family)
        seen |= set(row)
    return families


def _voice(rng: random.Random) -> Family:
    frame = sample_frame(rng, kind="transitive", place=False, pairs=False, pronouns=False)
    return _english(frame, replace(frame, kind="passive"), frame.swapped()), frame_tags(frame)


def _voice_pronoun(rng: random.Random) -> Family | None:
    """A pronoun family whose swap changes word forms: not "You saw Mary" / "Mary saw you"
    (the same words for a bag of words, which lowercases)."""
    frame = sample_frame(rng, kind="transitive", place=False, pairs=False)
    if frame_tags(frame)[1] != PRONOUN:
        return None
    active, passive, swapped = _english(frame, replace(frame, kind="passive"), frame.swapped())
    if sorted(words(active)) == sorted(words(swapped)):
        return None
    return (active, passive, swapped), frame_tags(frame)


def _fronting(rng: random.Random) -> Family:
    frame = sample_frame(rng, kind="ditransitive", place=True, fronted=False, pairs=False, pronouns=False)
    return _english(frame, replace(frame, fronted=True), frame.swapped()), frame_tags(frame)


def _tense(rng: random.Random) -> Family:
    kind = rng.choice(("transitive", "in_love", "ditransitive"))
    frame = sample_frame(rng, kind=kind, tense="present", place=False, pairs=False, pronouns=False)
    return _english(frame, replace(frame, tense="past"), frame.swapped()), frame_tags(frame)


def _bshift(rng: random.Random) -> Family | None:
    """BShift (Conneau et al. 2018): the original with two adjacent words inverted. Pronouns stay:
    an inversion never changes a word form."""
    frame = sample_frame(rng, kind="transitive", fronted=False, pairs=False)
    original, passive = _english(frame, replace(frame, kind="passive"))
    words = original.split(" ")
    positions = list(range(len(words) - 1))
    rng.shuffle(positions)
    for i in positions:
        shifted = [*words[:i], words[i + 1], words[i], *words[i + 2 :]]
        text = " ".join(shifted)
        if shifted != words and english_to_french(text) is None:  # must leave the grammar
            return (original, passive, text), frame_tags(frame)
    return None


def _english(*frames: Frame) -> tuple[str, ...]:
    return tuple(english_sentence(frame) for frame in frames)
