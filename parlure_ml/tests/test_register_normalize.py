"""The typography the register encoder reads, and the raw variants training shows."""

import random

import pytest

from parlure_ml.register.augment import raw_variant, typeset
from parlure_ml.register.examples import bare
from parlure_ml.register.normalize import EMOJI_TOKEN, normalize


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("C\u2019est l\u2018été", "C'est l'été"),
        ("l`été, l\u00b4hiver, l\u02bcautomne", "l'été, l'hiver, l'automne"),
        ("Il a dit « oui »", 'Il a dit "oui"'),
        ("Il a dit \u00ab\u00a0oui\u00a0\u00bb.", 'Il a dit "oui".'),
        ("Il a dit \u201coui\u201d.", 'Il a dit "oui".'),
        ("Et puis\u2026 rien", "Et puis... rien"),
        ("Vraiment\u202f?", "Vraiment ?"),
        ("Attention\u00a0: travaux", "Attention : travaux"),
        ("Bonjour!", "Bonjour !"),
        ("Bonjour !", "Bonjour !"),
        (
            "Rendez-vous à 8:30, voir https://exemple.fr",
            "Rendez-vous à 8:30, voir https://exemple.fr",
        ),
        ("  trop   de\t\nblancs  ", "trop de blancs"),
        ("un\u2009000 euros", "un 000 euros"),
        ("\u2014 Tu viens ? \u2014 Oui.", "\u2014 Tu viens ? \u2014 Oui."),
        ("mot\u200bcollé", "motcollé"),
    ],
)
def test_typeset_and_typed_french_read_the_same(typed: str, expected: str):
    assert normalize(typed) == expected


def test_curly_and_straight_apostrophes_give_one_text():
    assert normalize("J\u2019ai pas compris\u2026") == normalize("J'ai pas compris...")


def test_emoji_are_kept_and_a_run_of_one_emoji_counts_once():
    assert normalize("trop bien 😂😂😂") == "trop bien 😂"
    assert normalize("trop bien 😂😂😂 !") == "trop bien 😂 !"
    assert normalize("merci 🙏 à tous 🎉") == "merci 🙏 à tous 🎉"


def test_repeated_punctuation_is_not_an_emoji_run():
    assert normalize("Quoi ?!!!") == "Quoi ?!!!"


def test_emoji_can_be_mapped_to_one_token():
    assert normalize("trop bien 😂 🔥", emoji="token") == f"trop bien {EMOJI_TOKEN} {EMOJI_TOKEN}"


def test_an_unknown_emoji_mode_is_refused():
    with pytest.raises(ValueError, match="emoji must be one of"):
        normalize("texte", emoji="drop")


@pytest.mark.parametrize(
    "text",
    [
        "C\u2019est « vraiment » top\u2026 non\u202f?",
        'Il a dit "oui" , puis "non" !',
        "😂😂😂 ptdr   t\u2019es sérieux ??",
        "",
    ],
)
def test_normalizing_twice_changes_nothing(text: str):
    assert normalize(normalize(text)) == normalize(text)


def test_a_typeset_variant_normalizes_back_to_its_plain_sentence():
    plain = 'Il m\'a dit "non" ... puis il est parti !'

    assert typeset(plain) != plain
    assert normalize(typeset(plain)) == normalize(plain)


def test_raw_variants_keep_the_words():
    rng = random.Random(3)
    text = "Bonjour, est-ce que tu viens demain ?"

    variants = {raw_variant(text, rng) for _ in range(50)}

    assert bare(text) in variants
    assert text.lower() in variants
    assert "Bonjour, est-ce que tu viens demain" in variants
    assert all(bare(v) == bare(text) for v in variants)
