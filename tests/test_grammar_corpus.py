"""The built-in corpus: size, determinism, splits, lexicon coverage, probe suites and files."""

import random
from collections import Counter

import pytest

from core.analysis.suites import read_suite
from core.corpus.grammar import FIGURE2_LEFT, FIGURE2_RIGHT, english_to_french, generate_corpus, write_corpus
from core.corpus.grammar.lexicon import DITRANSITIVE_VERBS, NAMES, OBJECTS, PLACES, PRONOUNS, TRANSITIVE_VERBS
from core.corpus.grammar.minimal_pairs import TAGS, WORD_FORM_SUITES, WORD_ORDER_SUITES
from core.corpus.probe_suite import words
from core.errors import UserError

GENERATED_SUITES = ("voice", "fronting", "bshift", "tense")


@pytest.fixture(scope="module")
def corpus():
    return generate_corpus(50_000, seed=0)


def all_pairs(corpus):
    return corpus.train + corpus.dev + corpus.test


def test_size_and_split(corpus):
    assert len(all_pairs(corpus)) == 50_000
    assert len(corpus.dev) == len(corpus.test) == 2_500
    english = [en for en, _ in all_pairs(corpus)]
    assert len(set(english)) == len(english)  # distinct English sides, so the splits are disjoint


def test_tiny_corpora_keep_every_split():
    tiny = generate_corpus(3, seed=0)
    assert (len(tiny.train), len(tiny.dev), len(tiny.test)) == (1, 1, 1)
    assert all(len(suite.rows) >= 2 for suite in tiny.probes.values())
    with pytest.raises(UserError):
        generate_corpus(2)


def test_deterministic_for_a_seed():
    assert generate_corpus(500, seed=7) == generate_corpus(500, seed=7)
    assert generate_corpus(500, seed=7).train != generate_corpus(500, seed=8).train


def test_pairs_are_the_grammars_translations(corpus):
    # Also rules out reflexives: english_to_french refuses them.
    for english, french in random.Random(0).sample(all_pairs(corpus), 3_000):
        assert english_to_french(english) == french
        assert "  " not in english + french and english[0].isupper() and french[0].isupper()
        assert not english.endswith(".") and not french.endswith(".")


def test_every_lexicon_item_occurs(corpus):
    english = {w for en, _ in corpus.train for w in en.lower().split()}
    french = {w for _, fr in corpus.train for w in fr.lower().replace("'", "' ").split()}
    words = {n.lower() for n in NAMES} | {p.subject.lower() for p in PRONOUNS.values()}
    words |= {p.object for p in PRONOUNS.values()} | set(OBJECTS) | set(PLACES) | {"in", "at", ","}
    for verb in (*TRANSITIVE_VERBS.values(), *DITRANSITIVE_VERBS.values()):
        words |= {verb.base, verb.third, verb.past, verb.participle}
    assert words <= english
    fr_words = {n.french for n in OBJECTS.values()} | {p.french for p in PLACES.values()}
    for verb in (*TRANSITIVE_VERBS.values(), *DITRANSITIVE_VERBS.values()):
        fr_words |= {verb.fr_present[i] for i in (2, 3, 5)} | {verb.fr_participle}
    fr_words |= {
        "au",
        "l'",
        "d'",
        "j'",
        "m'",
        "t'",
        "amoureux",
        "amoureuse",
        "amoureuses",
        "était",
        "étaient",
    }
    assert fr_words <= french
    for place in PLACES.values():
        for preposition in place.prepositions:
            assert any(f" {preposition} the {place.english}" in en for en, _ in corpus.train)


def test_generated_suites_have_200_families(corpus):
    for name in GENERATED_SUITES:
        suite = corpus.probes[name]
        assert len(suite.rows) == 200 and all(len(row) == len(suite.columns) for row in suite.rows)
        assert {suite.default_anchor, suite.default_positive, suite.default_negative} <= set(suite.columns)


def test_figure2_suites_are_verbatim(corpus):
    assert set(corpus.probes["figure2_left"].sentences()) == set(FIGURE2_LEFT)
    assert set(corpus.probes["figure2_right"].sentences()) == set(FIGURE2_RIGHT)
    assert corpus.probes["figure2_left"].rows[0] == (
        "John admires Mary",
        "John respects Mary",
        "Mary admires John",
    )


def test_probe_sentences_are_never_in_the_corpus(corpus):
    english = {en for en, _ in all_pairs(corpus)}
    for suite in corpus.probes.values():
        assert not english & set(suite.sentences()), suite.name


def test_probe_sentences_are_generable_except_shifted(corpus):
    for suite in corpus.probes.values():
        for column, sentences in zip(suite.columns, zip(*suite.rows)):
            translated = [english_to_french(s) is not None for s in sentences]
            assert all(translated) if column != "shifted" else not any(translated), (suite.name, column)


def test_suite_variants_differ_as_described(corpus):
    for original, _, shifted in corpus.probes["bshift"].rows:
        a, b = original.split(), shifted.split()
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        assert sorted(a) == sorted(b) and len(diff) == 2 and diff[1] == diff[0] + 1
    for canonical, fronted, _ in corpus.probes["fronting"].rows:
        assert fronted.split(" , ")[1].lower() in canonical.lower()


def test_write_corpus_files_parse(tmp_path):
    corpus = write_corpus(tmp_path / "grammar", n_pairs=300, seed=1)
    for split in ("train", "dev", "test"):
        lines = (tmp_path / "grammar" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()
        assert [tuple(line.split("\t")) for line in lines] == getattr(corpus, split)
    for name, suite in corpus.probes.items():
        lines = (tmp_path / "grammar" / "probes" / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
        body = [line for line in lines if not line.startswith("#")]
        tag_columns = [f"tag:{tag}" for tag in suite.tag_names]  # the families' tags come last
        assert lines[0].startswith("#") and body[0].split("\t") == ["family", *suite.columns, *tag_columns]
        rows = [line.split("\t") for line in body[1:]]
        assert [row[0] for row in rows] == [str(i) for i in range(1, len(suite.rows) + 1)]
        n = 1 + len(suite.columns)
        assert [tuple(row[1:n]) for row in rows] == list(suite.rows)
        assert [tuple(row[n:]) for row in rows] == list(suite.tags) and suite.tag_names == TAGS
        assert read_suite(tmp_path / "grammar" / "probes" / f"{name}.tsv") == suite


def test_word_order_negatives_have_the_anchors_words(corpus):
    assert set(WORD_ORDER_SUITES) | set(WORD_FORM_SUITES) == set(corpus.probes)  # each suite classified
    for name in WORD_ORDER_SUITES:
        suite = corpus.probes[name]
        anchor, _, negative = suite.roles()
        for a, n in zip(suite.column(anchor), suite.column(negative)):
            assert Counter(a.split()) == Counter(n.split()) and a != n, (name, a, n)
            assert Counter(words(a)) == Counter(words(n))  # the bag-of-words baseline's tokens
    pronoun_words = {p.subject for p in PRONOUNS.values()} | {p.object for p in PRONOUNS.values()}
    for name in ("voice", "fronting", "tense", "figure2_left"):  # the role swaps: single names only
        suite = corpus.probes[name]
        assert set(suite.tag("participants")) == {"names"}, name
        assert not {w.lower() for s in suite.sentences() for w in s.split()} & {"i", *pronoun_words}, name


def test_word_form_negatives_change_words_and_are_described(corpus):
    for name in WORD_FORM_SUITES:
        suite = corpus.probes[name]
        anchor, _, negative = suite.roles()
        assert set(suite.tag("participants")) == {"pronoun"} and "pronoun" in suite.description
        assert all(Counter(words(a)) != Counter(words(n))  # lowercased: "You saw Mary" / "Mary saw you" is out
                   for a, n in zip(suite.column(anchor), suite.column(negative)))  # fmt: skip
    voice, pronoun = corpus.probes["voice"], corpus.probes["voice_pronoun"]
    assert voice.columns == pronoun.columns and len(pronoun.rows) == 200
    assert set(voice.tag("construction")) == set(pronoun.tag("construction")) == {"transitive"}
