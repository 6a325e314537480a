"""The grammar's French: hand-checked translations, morphology, and what lies outside the grammar."""

import pytest

from core.corpus.grammar import FIGURE2_LEFT, FIGURE2_RIGHT, Entity, Frame, english_to_french, translate_frame
from core.corpus.grammar.french import agree, amoureux, clitic_cluster, finish

FIGURE2 = {
    "John respects Mary": "John respecte Mary",
    "Mary respects John": "Mary respecte John",
    "John admires Mary": "John admire Mary",
    "Mary admires John": "Mary admire John",
    "Mary is in love with John": "Mary est amoureuse de John",
    "John is in love with Mary": "John est amoureux de Mary",
    "I gave her a card in the garden": "Je lui ai donné une carte dans le jardin",
    "In the garden , I gave her a card": "Dans le jardin , je lui ai donné une carte",
    "She was given a card by me in the garden": "Une carte lui a été donnée par moi dans le jardin",
    "She gave me a card in the garden": "Elle m'a donné une carte dans le jardin",
    "In the garden , she gave me a card": "Dans le jardin , elle m'a donné une carte",
    "I was given a card by her in the garden": "Une carte m'a été donnée par elle dans le jardin",
}

EXPECTED = {
    # pronoun objects become clitics; elision j' l' m' t'
    "John admires her": "John l'admire",
    "I admire Anna": "J'admire Anna",
    "She calls me": "Elle m'appelle",
    "They call you": "Ils t'appellent",
    "We call them": "Nous les appelons",
    "I see you": "Je te vois",
    "Paul loves her in the garden": "Paul l'aime dans le jardin",
    # passé composé: avoir agrees with a preceding direct-object clitic only
    "John admired her": "John l'a admirée",
    "He saw us": "Il nous a vus",
    "They saw her": "Ils l'ont vue",
    "I helped them": "Je les ai aidés",
    "I loved her": "Je l'ai aimée",
    "You knew her": "Tu l'as connue",
    "At the school , Peter thanked Julie": "À l'école , Peter a remercié Julie",
    # irregular verbs in several persons
    "You follow him": "Tu le suis",
    "We follow Anna": "Nous suivons Anna",
    "They know us": "Ils nous connaissent",
    "He knows Julie": "Il connaît Julie",
    "They see Paul at the park": "Ils voient Paul au parc",
    "We send Thomas a letter at the station": "Nous envoyons une lettre à Thomas à la gare",
    "I send him a book": "Je lui envoie un livre",
    "They offered me a flower at the school": "Ils m'ont offert une fleur à l'école",
    "You show Paul a map": "Tu montres un plan à Paul",
    "Anna gave Mary and Julie a key": "Anna a donné une clé à Mary et à Julie",
    # passive with être: the participle agrees with the subject
    "Mary is admired by John": "Mary est admirée par John",
    "Mary was admired by John": "Mary a été admirée par John",
    "Mary and Anna are respected by him": "Mary et Anna sont respectées par lui",
    "Mary and Anna were thanked by you": "Mary et Anna ont été remerciées par toi",
    "They were praised by Sophie and Julie": "Ils ont été félicités par Sophie et Julie",
    "John and Paul are watched by her in the kitchen": "John et Paul sont regardés par elle dans la cuisine",
    "In the library , Thomas was followed by them": "Dans la bibliothèque , Thomas a été suivi par eux",
    # no dative passive in French: the thing given is the subject and the participle agrees with it
    "Julie was offered a gift by Peter at the library": "Un cadeau a été offert à Julie par Peter à la bibliothèque",
    "We were offered a photo by them": "Une photo nous a été offerte par eux",
    "I was given a book by John at the station": "Un livre m'a été donné par John à la gare",
    "He is sent a card by us": "Une carte lui est envoyée par nous",
    # être amoureux de, imparfait in the past, d' before a vowel
    "John is in love with Anna": "John est amoureux d'Anna",
    "Mary is in love with him": "Mary est amoureuse de lui",
    "We are in love with her": "Nous sommes amoureux d'elle",
    "Sophie and Julie are in love with Peter": "Sophie et Julie sont amoureuses de Peter",
    "John was in love with Mary": "John était amoureux de Mary",
    "They were in love with Anna and Paul": "Ils étaient amoureux d'Anna et de Paul",
}


@pytest.mark.parametrize("english", [*FIGURE2, *EXPECTED])
def test_hand_checked_translations(english):
    assert english_to_french(english) == {**FIGURE2, **EXPECTED}[english]


def test_figure2_sentences_are_the_papers():
    assert set(FIGURE2_LEFT) | set(FIGURE2_RIGHT) == set(FIGURE2)


def test_translate_frame_gives_both_sides():
    frame = Frame(
        "ditransitive", "past", Entity.of("I"), Entity.of("she"), "give", "card", "garden", "in", True
    )
    assert translate_frame(frame) == (
        "In the garden , I gave her a card",
        "Dans le jardin , je lui ai donné une carte",
    )


@pytest.mark.parametrize(
    "frame",
    [
        Frame("transitive", "present", Entity.of("John"), Entity.of("John"), "admire"),  # reflexive
        Frame("transitive", "present", Entity.of("we"), Entity.of("I"), "admire"),  # overlapping
        Frame("transitive", "present", Entity.of("John"), Entity.of("Mary"), "give"),  # wrong verb class
        Frame("in_love", "past", Entity.of("John"), Entity.of("Mary"), place="park", preposition="in"),
        Frame(
            "transitive",
            "present",
            Entity.of("John"),
            Entity.of("Mary"),
            "see",
            place="garden",
            preposition="at",
        ),
    ],
)
def test_frames_outside_the_grammar_are_refused(frame):
    with pytest.raises(ValueError):
        translate_frame(frame)


@pytest.mark.parametrize(
    "english",
    [
        "John admires John",
        "I admire me",
        "We admire me",
        "admires John Mary",
        "John admire Mary",
        "john admires Mary",
        "John admires Mary .",
        "John  admires Mary",
        "Mary and Mary admire John",
        "Mary is in love with John in the park",
        "John gave Mary a card in the moon",
        "",
    ],
)
def test_sentences_outside_the_grammar_give_none(english):
    assert english_to_french(english) is None


def test_agreement_helpers():
    assert [agree("admiré", f, p) for f, p in [(0, 0), (1, 0), (0, 1), (1, 1)]] == [
        "admiré",
        "admirée",
        "admirés",
        "admirées",
    ]
    assert agree("offert", True, False) == "offerte"
    assert [amoureux(f, p) for f, p in [(0, 0), (1, 0), (0, 1), (1, 1)]] == [
        "amoureux",
        "amoureuse",
        "amoureux",
        "amoureuses",
    ]


def test_clitic_order_and_elision():
    assert finish(["je", *clitic_cluster("le", "lui"), "ai", "donné"]) == "Je le lui ai donné"
    assert finish(["il", *clitic_cluster("la", "me"), "a", "donnée"]) == "Il me l'a donnée"
    assert finish(["elle", *clitic_cluster("les", "leur"), "montre"]) == "Elle les leur montre"
    assert finish(["tu", *clitic_cluster("le", "nous"), "envoies"]) == "Tu nous l'envoies"
    with pytest.raises(ValueError):
        clitic_cluster("me", "lui")


def test_contractions():
    assert finish(["à", "le", "parc"]) == "Au parc"
    assert finish(["John", "est", "à", "la", "gare"]) == "John est à la gare"
    assert finish(["à", "la", "école"]) == "À l'école"
    assert finish(["dans", "le", "école"]) == "Dans l'école"
