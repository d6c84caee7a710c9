"""Predictions through the API: every one of a submission, with readable sentences and evidence."""

import pytest

from accounts.models import User
from annotation.models import Segment, Submission
from annotation.tests.api_fixtures import (
    SECOND,
    SEGMENTS,
    TEXT,
    api_client,
    audio_done,
    sentence,
    text_done,
)
from annotation.tests.factories import PredictionFactory

pytestmark = pytest.mark.django_db


def url(submission: Submission) -> str:
    return f"/api/v1/submissions/{submission.public_id}/predictions/"


def test_a_texts_prediction_reads_as_sentences_and_the_words_that_decided(user: User) -> None:
    submission = text_done(user)

    response = api_client(user).get(url(submission))

    assert response.status_code == 200
    [prediction] = response.json()["results"]
    assert prediction["id"] == submission.current_prediction_id
    assert prediction["label"] == "familier"
    assert prediction["scores"] == {"soutenu": 0.3, "neutre": 0.1, "familier": 0.6}
    assert (prediction["segment"], prediction["transcript_version"]) == (None, None)
    assert prediction["latency_ms"] == 12
    first, second = prediction["sentences"]
    assert first["index"] == 0
    assert first["text"] == TEXT[: SECOND - 1]
    assert first["label"] == "soutenu"
    assert first["evidence"] == [
        {"start": TEXT.index("prie"), "end": TEXT.index("prie") + 4, "text": "prie", "weight": 0.42}
    ]
    assert second["text"] == "T'as vu le match hier soir ?"
    assert [word["text"] for word in second["evidence"]] == ["T'as"]


def test_every_prediction_comes_newest_first_each_with_its_own_text(user: User) -> None:
    # Given a recording classified at version 1, whose first segment was then corrected and
    # classified again at version 2
    submission = audio_done(user)
    api_client(user).patch(
        f"/api/v1/submissions/{submission.public_id}/transcript/segments/0/",
        {"text": "Salut la compagnie,"},
    )
    submission.refresh_from_db()
    corrected = Segment.objects.get(transcript__submission=submission, index=0)
    whole_v2 = PredictionFactory.create(
        submission=submission,
        transcript_version=2,
        label="familier",
        sentences=[sentence(0, len(submission.text), "familier", [[0, 5, 0.5]])],
    )
    segment_v2 = PredictionFactory.create(
        submission=submission,
        segment=corrected,
        transcript_version=2,
        label="familier",
        sentences=[sentence(0, len(corrected.text), "familier", [])],
    )

    # When all its predictions are read
    results = api_client(user).get(url(submission)).json()["results"]

    # Then the newest come first, and each sentence is cut from the text that prediction read
    assert [p["id"] for p in results[:2]] == [segment_v2.pk, whole_v2.pk]
    by_key = {(p["segment"], p["transcript_version"]): p for p in results}
    assert len(by_key) == 5
    old_whole = " ".join(SEGMENTS)
    new_whole = f"Salut la compagnie, {SEGMENTS[1]}"
    assert by_key[(None, 1)]["sentences"][0]["text"] == old_whole
    assert by_key[(None, 2)]["sentences"][0]["text"] == new_whole
    assert by_key[(None, 2)]["sentences"][0]["evidence"][0]["text"] == "Salut"
    assert by_key[(0, 1)]["sentences"][0]["text"] == SEGMENTS[0]
    assert by_key[(0, 1)]["sentences"][0]["evidence"][0]["text"] == "Bonjour"
    assert by_key[(0, 2)]["sentences"][0]["text"] == "Salut la compagnie,"
    assert by_key[(1, 1)]["sentences"][0]["text"] == SEGMENTS[1]


def test_a_sentence_whose_offsets_no_longer_fit_has_no_text(user: User) -> None:
    submission = text_done(user)
    PredictionFactory.create(
        submission=submission, sentences=[sentence(0, len(TEXT) + 10, "neutre", [[0, 99, 0.2]])]
    )

    newest = api_client(user).get(url(submission)).json()["results"][0]

    [stale] = newest["sentences"]
    assert stale["text"] is None
    assert stale["evidence"] == [{"start": 0, "end": 99, "text": None, "weight": 0.2}]


def test_a_submission_not_classified_yet_has_no_predictions(user: User) -> None:
    submission = text_done(user)
    submission.current_prediction = None
    submission.save()
    submission.predictions.all().delete()

    response = api_client(user).get(url(submission))

    assert response.status_code == 200
    assert response.json()["results"] == []
