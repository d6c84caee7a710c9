import math

import numpy as np
import pytest

from parlure_ml.register import LABELS, RegisterClassifier, RegisterPrediction, get_classifier
from parlure_ml.register.head import LogisticHead, fit_logistic

# Written for this test; none of these is in seed.tsv.
SOUTENU = [
    "Je vous saurais gré de bien vouloir m'adresser votre réponse par retour de courrier.",
    "Veuillez accepter, cher Maître, l'assurance de ma haute considération.",
    "Puissiez-vous trouver en ces lignes le témoignage de mon indéfectible amitié.",
]
FAMILIER = [
    "putain mec j'ai paumé mes clés, c'est la galère",
    "T'as vu la meuf de Kevin ? Elle est trop ouf, sérieux.",
    "J'en ai ras le bol de ce taf de merde, je me casse.",
]


def test_predictions_are_probability_distributions(classifier: RegisterClassifier):
    predictions = classifier.predict(SOUTENU + FAMILIER + ["Le train part à huit heures."])

    assert len(predictions) == 7
    for prediction in predictions:
        assert isinstance(prediction, RegisterPrediction)
        assert tuple(prediction.scores) == LABELS
        assert all(0.0 <= p <= 1.0 for p in prediction.scores.values())
        assert math.isclose(sum(prediction.scores.values()), 1.0, abs_tol=1e-9)
        assert prediction.label == max(prediction.scores, key=prediction.scores.__getitem__)
        assert prediction.model_version == "e5-small+seed-head-v1"


def test_clear_examples_get_their_register(classifier: RegisterClassifier):
    labels = [p.label for p in classifier.predict(SOUTENU + FAMILIER)]

    assert labels == ["soutenu"] * 3 + ["familier"] * 3


def test_20000_characters_are_classified(classifier: RegisterClassifier):
    text = (" ".join(SOUTENU) + " ") * 100
    text = text[:20_000]

    (prediction,) = classifier.predict([text])

    assert prediction.label == "soutenu"


def test_empty_text_is_refused(classifier: RegisterClassifier):
    with pytest.raises(ValueError, match="text 1 is empty"):
        classifier.predict(["Bonjour.", "  "])


def test_no_texts_give_no_predictions(classifier: RegisterClassifier):
    assert classifier.predict([]) == []


def test_a_bare_string_is_refused(classifier: RegisterClassifier):
    with pytest.raises(TypeError):
        classifier.predict("Bonjour.")


def test_get_classifier_loads_once(model_dir):
    assert get_classifier() is get_classifier()


def test_logistic_head_fits_separable_data_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    centers = np.eye(3, 8) * 4
    targets = np.repeat(np.arange(3), 20)
    features = centers[targets] + rng.normal(size=(60, 8))

    weight, bias = fit_logistic(features, targets, 3, l2=0.1)
    head = LogisticHead(LABELS, weight, bias, {"version": "toy"})
    head.save(tmp_path / "head.json")
    loaded = LogisticHead.load(tmp_path / "head.json")

    assert (loaded.predict_proba(features).argmax(axis=1) == targets).mean() > 0.95
    np.testing.assert_allclose(
        loaded.predict_proba(features), head.predict_proba(features), atol=1e-5
    )
