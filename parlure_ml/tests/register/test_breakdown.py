"""Per-genre and per-length figures of an evaluation set."""

import numpy as np

from parlure_ml.register.evaluation import breakdown, length_bucket
from parlure_ml.register.examples import Example


def _onehot(labels: list[int]) -> np.ndarray:
    return np.eye(3)[labels]


def test_sentences_fall_in_length_buckets_by_word_count():
    assert length_bucket("Bon.") == "1-5"
    assert length_bucket("Le magasin ferme à sept heures.") == "6-12"
    assert length_bucket(" ".join(["mot"] * 30)) == "26-60"
    assert length_bucket(" ".join(["mot"] * 61)) == "61+"


def test_a_genre_scores_only_the_registers_it_contains():
    examples = [
        Example("Le train part à midi.", "neutre", genre="notice"),
        Example("La mairie ferme à midi.", "neutre", genre="notice"),
        Example("Il sied de se taire.", "soutenu", genre="essay"),
        Example("T'es relou, sérieux.", "familier", genre="essay"),
    ]
    # soutenu, neutre, familier: the second notice is taken for soutenu
    probs = _onehot([1, 0, 0, 2])

    groups = breakdown(examples, probs, "genre")

    assert groups["notice"] == {"n": 2, "accuracy": 0.5, "macro_f1": 2 / 3}
    assert groups["essay"]["accuracy"] == 1.0
    assert groups["essay"]["macro_f1"] == 1.0


def test_length_groups_cover_every_sentence():
    examples = [Example("Il pleut.", "neutre"), Example(" ".join(["mot"] * 20), "familier")]

    groups = breakdown(examples, _onehot([1, 2]), "length")

    assert {name: g["n"] for name, g in groups.items()} == {"1-5": 1, "13-25": 1}
