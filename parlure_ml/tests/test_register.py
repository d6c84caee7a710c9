"""The shipped champion, loaded for real: calibrated output, uncertainty, sentences, evidence."""

import math

import pytest

from parlure_ml.register import LABELS, RegisterClassifier, RegisterPrediction, get_classifier
from parlure_ml.register.artifact import SHIPPED_DIR, ModelCard

# Written for this test; none of these is in the dataset or the evaluation sets.
SOUTENU = [
    "Je vous saurais gré de bien vouloir m'adresser votre réponse par retour de courrier.",
    "Veuillez accepter, cher Maître, l'assurance de ma haute considération.",
    "Puissiez-vous trouver en ces lignes le témoignage de mon indéfectible amitié.",
]
NEUTRE = [
    "Le bus de la ligne 12 passe toutes les dix minutes en semaine.",
    "Est-ce que tu pourrais rapporter du pain en rentrant ce soir ?",
]
FAMILIER = [
    "putain mec j'ai paumé mes clés, c'est la galère",
    "T'as vu la meuf de Kevin ? Elle est trop ouf, sérieux.",
    "J'en ai ras le bol de ce taf de merde, je me casse.",
]


def test_the_shipped_champion_is_small_and_records_its_provenance():
    card = ModelCard.read(SHIPPED_DIR)
    size = sum(f.stat().st_size for f in SHIPPED_DIR.rglob("*") if f.is_file())

    assert size < 5 * 1024 * 1024
    assert card.labels == LABELS
    assert len(card.data["dataset_sha256"]) == 64
    assert card.data["metrics"]["test"]["macro_f1"] > 0.7
    assert 0.1 < card.temperature < 10


def test_predictions_are_calibrated_distributions(classifier: RegisterClassifier):
    predictions = classifier.predict(SOUTENU + NEUTRE + FAMILIER)

    assert len(predictions) == 8
    for prediction in predictions:
        assert isinstance(prediction, RegisterPrediction)
        assert tuple(prediction.scores) == LABELS
        assert math.isclose(sum(prediction.scores.values()), 1.0, abs_tol=1e-3)
        assert prediction.top_label == max(prediction.scores, key=prediction.scores.__getitem__)
        assert prediction.model_version == classifier.card.version


def test_clear_examples_get_their_register(classifier: RegisterClassifier):
    labels = [p.top_label for p in classifier.predict(SOUTENU + NEUTRE + FAMILIER)]

    assert labels == ["soutenu"] * 3 + ["neutre"] * 2 + ["familier"] * 3


def test_below_the_threshold_a_prediction_is_uncertain_and_shown_as_neutre(classifier):
    [sure] = classifier.predict([FAMILIER[0]], uncertain_below=0.0)
    [unsure] = classifier.predict([FAMILIER[0]], uncertain_below=1.01)

    assert (sure.label, sure.uncertain) == ("familier", False)
    assert (unsure.label, unsure.top_label, unsure.uncertain) == ("neutre", "familier", True)
    assert unsure.scores == sure.scores


def test_a_long_text_gets_a_label_per_sentence_and_the_share_of_each(classifier):
    text = " ".join([SOUTENU[0], FAMILIER[1], SOUTENU[1], FAMILIER[2]])

    [prediction] = classifier.predict([text])

    assert [text[s.start : s.end] for s in prediction.sentences] == [
        SOUTENU[0],
        "T'as vu la meuf de Kevin ?",
        "Elle est trop ouf, sérieux.",
        SOUTENU[1],
        FAMILIER[2],
    ]
    assert [s.top_label for s in prediction.sentences] == [
        "soutenu",
        "familier",
        "familier",
        "soutenu",
        "familier",
    ]
    assert prediction.shares["soutenu"] + prediction.shares["familier"] == 1.0


def test_20000_characters_are_classified(classifier: RegisterClassifier):
    text = ((" ".join(SOUTENU) + " ") * 100)[:20_000]

    [prediction] = classifier.predict([text])

    assert prediction.top_label == "soutenu"
    assert len(prediction.sentences) > 250


@pytest.mark.parametrize("method", ["gradients", "occlusion"])
def test_the_words_that_decided_are_returned(
    classifier: RegisterClassifier, monkeypatch: pytest.MonkeyPatch, method: str
):
    monkeypatch.setenv("PARLURE_EXPLAIN_METHOD", method)
    text = "putain mec j'ai paumé mes clés de voiture"

    [prediction] = classifier.predict([text], explain=True)

    [sentence] = prediction.sentences
    words = {text[e.start : e.end] for e in sentence.explanation}
    assert words & {"putain", "mec", "paumé"}
    assert all(0 < e.weight <= 1 for e in sentence.explanation)


def test_a_sentence_the_model_is_sure_of_still_gets_its_words(classifier: RegisterClassifier):
    # Integrated gradients with too few steps vanish where the probability is flat (near 1).
    [prediction] = classifier.predict([SOUTENU[1]], explain=True)

    [sentence] = prediction.sentences
    assert sentence.scores["soutenu"] > 0.95
    words = {SOUTENU[1][e.start : e.end] for e in sentence.explanation}
    assert words & {"Veuillez", "Maître", "assurance", "haute", "considération"}


def test_an_unknown_explanation_method_is_refused(classifier, monkeypatch):
    monkeypatch.setenv("PARLURE_EXPLAIN_METHOD", "magic")

    with pytest.raises(ValueError, match="unknown explanation method 'magic'"):
        classifier.predict([FAMILIER[0]], explain=True)


def test_explanations_of_several_texts_are_made_in_one_batch(classifier: RegisterClassifier):
    texts = [SOUTENU[0], FAMILIER[0], f"{NEUTRE[0]} {FAMILIER[2]}"]

    predictions = classifier.predict(texts, explain=True)

    for text, prediction in zip(texts, predictions, strict=True):
        for sentence in prediction.sentences:
            if sentence.top_label != "neutre":  # marked words push towards soutenu or familier
                assert sentence.explanation, text[sentence.start : sentence.end]
            for evidence in sentence.explanation:
                assert sentence.start <= evidence.start < evidence.end <= sentence.end
                assert text[evidence.start : evidence.end].strip()


def test_explanations_are_off_unless_asked(classifier: RegisterClassifier):
    [prediction] = classifier.predict([FAMILIER[0]])

    assert prediction.sentences[0].explanation == ()


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


def test_int8_quantization_is_available_and_says_so(model_dir):
    quantized = RegisterClassifier.load(SHIPPED_DIR, model_dir, int8=True)

    [prediction] = quantized.predict([SOUTENU[0]])

    assert prediction.model_version.endswith("+int8")
    assert math.isclose(sum(prediction.scores.values()), 1.0, abs_tol=1e-3)


def test_bf16_gives_the_labels_of_fp32_within_a_few_hundredths(
    classifier: RegisterClassifier, model_dir
):
    half = RegisterClassifier.load(SHIPPED_DIR, model_dir, bf16=True)
    texts = [SOUTENU[0], "Wesh, t'as capté ou pas ?", "Le magasin ferme à dix-neuf heures."]

    full = classifier.predict(texts)
    reduced = half.predict(texts, explain=True)

    assert half.bf16
    for a, b in zip(full, reduced, strict=True):
        assert b.model_version == a.model_version  # the same model: only the arithmetic differs
        assert math.isclose(sum(b.scores.values()), 1.0, abs_tol=1e-3)
        assert max(abs(a.scores[k] - b.scores[k]) for k in a.scores) < 0.05
        if max(a.scores.values()) > 0.7:  # a clear decision stays the same
            assert b.top_label == a.top_label
    # Explanations keep working (occlusion: forward passes only).
    assert all(p.explained for p in reduced)


def test_typeset_and_typed_text_get_the_same_prediction(classifier: RegisterClassifier):
    typed = "J'ai dit \"non\"... T'es sérieux ?"
    typeset = "J\u2019ai dit \u00ab\u00a0non\u00a0\u00bb\u2026 T\u2019es sérieux\u202f?"

    [plain, printed] = classifier.predict([typed, typeset])

    assert printed.scores == plain.scores
    assert printed.top_label == plain.top_label
