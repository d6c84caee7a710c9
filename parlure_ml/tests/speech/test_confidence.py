"""Word confidence: features, the agreement of two decodes, the calibration, the real model."""

from pathlib import Path

import pytest

from parlure_ml.speech import confidence
from parlure_ml.speech.confidence import (
    AGREEMENT_FEATURE,
    FEATURES,
    SegmentStats,
    agreement,
    calibration,
    feature_rows,
)
from parlure_ml.speech.transcriber import Segment, Transcriber, Word, with_agreement

STATS = SegmentStats(avg_logprob=-0.3, no_speech_prob=0.01, compression_ratio=1.2)


def test_one_row_per_word_in_feature_order():
    rows = feature_rows([0.9, 0.2, 0.99], [0.3, 0.1, 0.5], [" Bonjour", " à", " tous."], STATS)

    assert len(rows) == 3
    assert all(len(row) == len(FEATURES) for row in rows)
    by_name = [dict(zip(FEATURES, row, strict=True)) for row in rows]
    # Each word sees its weakest neighbour: "Bonjour" and "tous." both sit next to "à".
    assert by_name[0]["neighbour_logit"] == by_name[1]["logit_probability"]
    assert by_name[2]["neighbour_logit"] == by_name[1]["logit_probability"]
    assert by_name[1]["short_word"] == 1.0
    assert by_name[0]["short_word"] == 0.0
    assert {row["segment_logit"] for row in by_name} == {by_name[1]["logit_probability"]}


def test_the_agreement_is_the_last_feature_when_given():
    rows = feature_rows([0.9, 0.9], [0.3, 0.3], [" oui", " non"], STATS, [True, False])

    assert [row[-1] for row in rows] == [1.0, 0.0]
    assert len(rows[0]) == len(FEATURES) + 1


def test_probabilities_of_zero_and_one_stay_finite():
    rows = feature_rows([0.0, 1.0], [0.0, 0.2], [" a", " b"], STATS)

    assert all(abs(value) < 100 for row in rows for value in row)


def test_two_decodes_agree_word_by_word_without_case_or_punctuation():
    words = [" Bonjour", " à", " tous,", " aujourd'hui"]

    assert agreement(words, "bonjour a tous aujourd'hui.") == [True, False, True, True]
    # A word of several tokens agrees only when all of them do.
    assert agreement(words, "Bonjour à tous aujourd hier") == [True, True, True, False]
    assert agreement([], "rien") == []
    assert agreement(words, "") == [False] * 4


@pytest.mark.parametrize("two_decodes", [False, True])
def test_the_shipped_calibration_is_complete_and_says_where_it_comes_from(two_decodes):
    fitted = calibration(two_decodes)

    assert fitted is not None
    expected = [*FEATURES, AGREEMENT_FEATURE] if two_decodes else list(FEATURES)
    assert list(fitted.features) == expected
    assert len(fitted.coef) == len(fitted.mean) == len(fitted.scale) == len(expected)
    assert 0.0 < fitted.threshold < 1.0
    assert "asterisk-core-sounds-fr" in str(confidence.load_model()["fitted_on"])


def test_a_likelier_word_is_never_less_confident():
    fitted = calibration()
    assert fitted is not None

    values = [
        fitted.confidence(feature_rows([p, 0.9], [0.3, 0.3], [" mot", " ici"], STATS)[0])
        for p in (0.05, 0.3, 0.6, 0.9, 0.99)
    ]

    assert values == sorted(values)
    assert all(0.0 < value < 1.0 for value in values)


def test_two_decodes_that_disagree_lower_the_confidence():
    segment = Segment(
        0.0,
        1.0,
        "Bonjour tous",
        [Word(0.0, 0.5, " Bonjour", 0.8), Word(0.5, 1.0, " tous", 0.8)],
        avg_logprob=-0.3,
    )

    [scored] = with_agreement([segment], "Bonjour tout")

    agreed, disputed = scored.words
    assert agreed.confidence is not None
    assert disputed.confidence is not None
    assert disputed.confidence < agreed.confidence


def test_the_real_model_scores_every_word(transcriber: Transcriber, french_wav: Path):
    fitted = calibration()
    assert fitted is not None

    transcript = transcriber.transcribe(french_wav, detect_language=False, second_decode=False)

    words = [word for segment in transcript.segments for word in segment.words]
    assert words
    for word in words:
        assert word.confidence is not None
        assert 0.0 <= word.confidence <= 1.0
        assert word.uncertain is (word.confidence < fitted.threshold)


def test_the_second_decode_scores_every_word_too(transcriber: Transcriber, french_wav: Path):
    transcript = transcriber.transcribe(french_wav, detect_language=False, second_decode=True)

    words = [word for segment in transcript.segments for word in segment.words]
    assert words
    assert all(word.confidence is not None for word in words)
    assert all(isinstance(word.uncertain, bool) for word in words)
