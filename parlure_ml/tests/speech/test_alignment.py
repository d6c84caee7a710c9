"""align_words: a corrected segment keeps its word timings."""

import pytest

from parlure_ml.speech.alignment import align_words

# "Bonjour à tous ici" heard from 1.0 s to 3.0 s, the segment running 0.5 s to 3.5 s.
HEARD = [
    {"start": 1.0, "end": 1.4, "word": " Bonjour", "probability": 0.9, "confidence": 0.95},
    {"start": 1.5, "end": 1.6, "word": " à", "probability": 0.8, "confidence": 0.9},
    {"start": 1.6, "end": 2.0, "word": " tous", "probability": 0.7, "confidence": 0.8},
    {"start": 2.5, "end": 3.0, "word": " ici", "probability": 0.3, "confidence": 0.4},
]
for _word, _uncertain in zip(HEARD, [False, False, False, True], strict=True):
    _word["uncertain"] = _uncertain
START, END = 0.5, 3.5


def _align(text: str, words=HEARD):
    return align_words(words, text, start=START, end=END)


def _times(words):
    return [(w["word"].strip(), w["start"], w["end"]) for w in words]


def _assert_monotonic_inside(words):
    last = START
    for word in words:
        assert START <= word["start"] <= word["end"] <= END
        assert word["start"] >= last
        last = word["end"]


def test_unchanged_words_keep_their_times_and_probability():
    words = _align("Bonjour à tous ici")

    assert words == [dict(w) for w in HEARD]  # confidence and the uncertain flag included


def test_typed_words_are_not_uncertain_and_have_no_model_confidence():
    words = _align("Bonjour à tous ceci")

    assert words[3]["word"] == " ceci"
    assert (words[3]["probability"], words[3]["confidence"], words[3]["uncertain"]) == (
        None,
        None,
        False,
    )
    assert words[2]["uncertain"] is False
    assert words[2]["confidence"] == 0.8


def test_case_and_punctuation_changes_keep_the_time_and_take_the_new_spelling():
    words = _align("bonjour à tous, ici.")

    assert _times(words) == [
        ("bonjour", 1.0, 1.4),
        ("à", 1.5, 1.6),
        ("tous,", 1.6, 2.0),
        ("ici.", 2.5, 3.0),
    ]
    assert words[0]["word"] == " bonjour"


def test_replaced_words_share_the_replaced_span_by_length():
    words = _align("Bonjour à toutes et tous ici")
    # difflib keeps "tous" and inserts "toutes et" before it.
    by_word = {w["word"].strip(): w for w in words}
    assert (by_word["tous"]["start"], by_word["tous"]["end"]) == (1.6, 2.0)

    words = _align("Bonjour à vous autres ici")
    assert _times(words)[0] == ("Bonjour", 1.0, 1.4)
    assert _times(words)[-1] == ("ici", 2.5, 3.0)
    vous, autres = words[2], words[3]
    assert vous["start"] == 1.6
    assert autres["end"] == 2.0
    assert vous["end"] == autres["start"]
    assert autres["end"] - autres["start"] > vous["end"] - vous["start"]  # longer word, more time
    assert vous["probability"] is None


def test_inserted_words_get_interpolated_times_between_their_neighbours():
    words = _align("Bonjour à tous, mes amis, ici")

    assert _times(words)[:3] == [("Bonjour", 1.0, 1.4), ("à", 1.5, 1.6), ("tous,", 1.6, 2.0)]
    mes, amis = words[3], words[4]
    assert mes["start"] == 2.0
    assert amis["end"] == 2.5
    assert mes["start"] < mes["end"] <= amis["start"] < amis["end"]
    _assert_monotonic_inside(words)


def test_words_inserted_at_either_end_use_the_segment_bounds():
    words = _align("Alors Bonjour à tous ici maintenant")

    assert _times(words)[0] == ("Alors", START, 1.0)
    assert _times(words)[-1] == ("maintenant", 3.0, END)


def test_deleted_words_vanish():
    words = _align("Bonjour ici")

    assert _times(words) == [("Bonjour", 1.0, 1.4), ("ici", 2.5, 3.0)]


def test_a_text_without_old_timings_is_spread_over_the_segment():
    words = _align("un deux trois", words=[])

    assert words[0]["start"] == START
    assert words[-1]["end"] == END
    _assert_monotonic_inside(words)


@pytest.mark.parametrize(
    "text",
    ["tout autre chose", "Bonjour", "ici Bonjour à tous", "a b c d e f g h i j k l m n o p"],
)
def test_times_stay_monotonic_and_inside_the_segment(text):
    words = _align(text)

    assert [w["word"].strip() for w in words] == text.split()
    _assert_monotonic_inside(words)


def test_old_times_outside_the_segment_are_clamped():
    stray = [{"start": 0.0, "end": 0.7, "word": " Oui", "probability": 0.5}]

    words = align_words(stray, "Oui merci", start=0.5, end=1.0)

    assert words[0]["start"] == 0.5
    _assert_monotonic_inside(words)
