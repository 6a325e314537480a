"""Minimal-pair probe suites: English source sentences fed to the encoder, grouped in families.

Each family varies one thing (voice, word order, tense, who does what to whom), so comparing the
encoder's vectors within a family asks what the "thought vector" keeps (Sutskever et al. 2014,
section 3.5 and Figure 2). The suites are drawn from fixed seeds, independent of the corpus seed,
so that models trained on corpora with different seeds are scored on the same sentences; smaller
suites are prefixes of larger ones.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from core.corpus.grammar.english import english_sentence
from core.corpus.grammar.frames import Frame
from core.corpus.grammar.parse import english_to_french
from core.corpus.grammar.sampling import sample_frame

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


@dataclass(frozen=True)
class ProbeSuite:
    name: str  # e.g. "voice"
    columns: tuple[str, ...]  # the variant columns after "family"
    rows: tuple[tuple[str, ...], ...]  # one tuple of sentences per family, aligned with columns
    description: str  # what the suite tests and which columns to compare
    default_anchor: str
    default_positive: str  # should be closer to the anchor...
    default_negative: str  # ...than this one

    def sentences(self) -> list[str]:
        """Every sentence of the suite, family by family."""
        return [sentence for row in self.rows for sentence in row]

    def to_tsv(self) -> str:
        """The probe suite file format of DESIGN.md: a comment, a header, one line per family."""
        lines = [f"# {self.description}", "\t".join(("family", *self.columns))]
        lines += ["\t".join((str(i), *row)) for i, row in enumerate(self.rows, start=1)]
        return "\n".join(lines) + "\n"


def figure2_suites() -> dict[str, ProbeSuite]:
    john_mary = [("John", "Mary"), ("Mary", "John")]
    verb_pairs = [("admires", "respects"), ("respects", "admires")]
    left = [(f"{a} {v} {b}", f"{a} {w} {b}", f"{b} {v} {a}") for v, w in verb_pairs for a, b in john_mary]
    left += [
        (f"{a} is in love with {b}", f"{a} admires {b}", f"{b} is in love with {a}") for a, b in john_mary
    ]
    right = [FIGURE2_RIGHT[0:3] + FIGURE2_RIGHT[3:4], FIGURE2_RIGHT[3:6] + FIGURE2_RIGHT[0:1]]
    return {
        "figure2_left": ProbeSuite(
            "figure2_left",
            ("sentence", "other_verb", "swapped"),
            tuple(left),
            "Figure 2 (left): same roles with another verb should be closer to the sentence than "
            "the same words with the roles swapped; anchor=sentence positive=other_verb negative=swapped",
            "sentence",
            "other_verb",
            "swapped",
        ),
        "figure2_right": ProbeSuite(
            "figure2_right",
            ("canonical", "fronted", "passive", "swapped"),
            tuple(right),
            "Figure 2 (right): the passive paraphrase should be closer to the canonical sentence than "
            "the one with giver and recipient swapped; anchor=canonical positive=passive negative=swapped",
            "canonical",
            "passive",
            "swapped",
        ),
    }


def generated_suites(n_families: int = DEFAULT_FAMILIES) -> dict[str, ProbeSuite]:
    """The voice, fronting, bshift and tense suites with `n_families` families each."""
    specs = [
        ("voice", ("active", "passive", "swapped"), _voice, "a passive paraphrase vs the roles swapped"),
        (
            "fronting",
            ("canonical", "fronted", "swapped"),
            _fronting,
            "a fronted place vs giver/recipient swapped",
        ),
        ("bshift", ("original", "passive", "shifted"), _bshift, "a paraphrase vs two adjacent words swapped"),
        ("tense", ("present", "past", "swapped"), _tense, "the same event in the past vs the roles swapped"),
    ]
    suites = {}
    for name, columns, make, what in specs:
        rows = _families(random.Random(f"grammar-probes-{name}"), n_families, make)
        anchor, positive, negative = columns
        description = (
            f"{name}: {what}; the positive should be closer to the anchor than the negative; "
            f"anchor={anchor} positive={positive} negative={negative}"
        )
        suites[name] = ProbeSuite(name, columns, rows, description, anchor, positive, negative)
    return suites


def build_probe_suites(n_families: int = DEFAULT_FAMILIES) -> dict[str, ProbeSuite]:
    return {**generated_suites(n_families), **figure2_suites()}


def _families(
    rng: random.Random, n: int, make: Callable[[random.Random], tuple[str, ...] | None]
) -> tuple[tuple[str, ...], ...]:
    """`n` families; a family that repeats a sentence already in the suite is drawn again."""
    rows: list[tuple[str, ...]] = []
    seen: set[str] = set()
    while len(rows) < n:
        row = make(rng)
        if row is None or seen & set(row) or len(set(row)) < len(row):
            continue
        rows.append(row)
        seen |= set(row)
    return tuple(rows)


def _voice(rng: random.Random) -> tuple[str, ...]:
    frame = sample_frame(rng, kind="transitive", place=False, pairs=False)
    return _english(frame, replace(frame, kind="passive"), frame.swapped())


def _fronting(rng: random.Random) -> tuple[str, ...]:
    frame = sample_frame(rng, kind="ditransitive", place=True, fronted=False, pairs=False)
    return _english(frame, replace(frame, fronted=True), frame.swapped())


def _tense(rng: random.Random) -> tuple[str, ...]:
    kind = rng.choice(("transitive", "in_love", "ditransitive"))
    frame = sample_frame(rng, kind=kind, tense="present", place=False, pairs=False)
    return _english(frame, replace(frame, tense="past"), frame.swapped())


def _bshift(rng: random.Random) -> tuple[str, ...] | None:
    """BShift (Conneau et al. 2018): the original with two adjacent words inverted."""
    frame = sample_frame(rng, kind="transitive", fronted=False, pairs=False)
    original, passive = _english(frame, replace(frame, kind="passive"))
    words = original.split(" ")
    positions = list(range(len(words) - 1))
    rng.shuffle(positions)
    for i in positions:
        shifted = [*words[:i], words[i + 1], words[i], *words[i + 2 :]]
        text = " ".join(shifted)
        if shifted != words and english_to_french(text) is None:  # must leave the grammar
            return original, passive, text
    return None


def _english(*frames: Frame) -> tuple[str, ...]:
    return tuple(english_sentence(frame) for frame in frames)
