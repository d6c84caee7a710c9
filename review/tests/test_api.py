"""Feedback through the API: send it on what one may annotate, read what one may review."""

from typing import Any

import pytest

from accounts.models import User
from annotation.models import Prediction, Submission
from annotation.tests.api_fixtures import api_client, audio_done, cast_create, text_done
from review.models import Feedback, ReviewItem

pytestmark = pytest.mark.django_db

FEEDBACK = "/api/v1/feedback/"


def shown(submission: Submission) -> Prediction:
    assert submission.current_prediction is not None
    return submission.current_prediction


def test_feedback_on_the_whole_text_is_recorded_and_sent_to_review(user: User) -> None:
    submission = text_done(user)
    prediction = shown(submission)

    response = api_client(user).post(
        FEEDBACK,
        {"prediction": prediction.pk, "kind": "register", "suggested_label": "soutenu"},
    )

    assert response.status_code == 201
    feedback = Feedback.objects.get()
    assert response.json() == {
        "id": feedback.pk,
        "prediction": prediction.pk,
        "submission": str(submission.public_id),
        "corpus": None,
        "segment": None,
        "sentence_index": None,
        "kind": "register",
        "suggested_label": "soutenu",
        "comment": "",
        "author": {"name": user.display_name, "is_you": True},
        "created_at": response.json()["created_at"],
    }
    assert ReviewItem.objects.get().prediction == prediction


def test_sending_it_again_updates_the_first_feedback(user: User) -> None:
    prediction = shown(text_done(user))
    client = api_client(user)
    payload = {"prediction": prediction.pk, "kind": "register", "suggested_label": "neutre"}

    first = client.post(FEEDBACK, payload)
    second = client.post(FEEDBACK, {**payload, "comment": "Plutôt neutre."})

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert Feedback.objects.get().comment == "Plutôt neutre."


def test_feedback_on_one_sentence_or_on_a_segments_text(user: User) -> None:
    text = text_done(user)
    recording = audio_done(user)
    segment_prediction = recording.transcript.segments.get(index=1).current_prediction
    assert segment_prediction is not None
    client = api_client(user)

    sentence = client.post(
        FEEDBACK,
        {
            "prediction": shown(text).pk,
            "sentence_index": 1,
            "kind": "register",
            "suggested_label": "neutre",
        },
    )
    segment_text = client.post(
        FEEDBACK, {"prediction": segment_prediction.pk, "kind": "transcript", "comment": "Mal"}
    )

    assert sentence.status_code == segment_text.status_code == 201
    assert sentence.json()["sentence_index"] == 1
    assert segment_text.json()["segment"] == 1
    assert segment_text.json()["suggested_label"] == ""
    assert ReviewItem.objects.filter(sentence_index=1, prediction=shown(text)).exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"kind": "register", "suggested_label": "familier"},
            "suggested_label",
            "That is already the register shown.",
        ),
        (
            {"kind": "register"},
            "suggested_label",
            "Pick the right register: soutenu, neutre or familier.",
        ),
        (
            {"kind": "register", "suggested_label": "poli"},
            "suggested_label",
            '"poli" is not a valid choice.',
        ),
        (
            {"kind": "register", "suggested_label": "soutenu", "sentence_index": 5},
            "sentence_index",
            "There is no such sentence in this text.",
        ),
        (
            {"kind": "register", "suggested_label": "soutenu", "sentence_index": -1},
            "sentence_index",
            None,
        ),
        (
            {"kind": "transcript"},
            "kind",
            "Only the text of a transcript segment can be flagged as wrong.",
        ),
        ({"kind": "opinion"}, "kind", None),
        ({}, "kind", "This field is required."),
        (
            {"kind": "register", "suggested_label": "soutenu", "comment": "x" * 2001},
            "comment",
            "The comment is 2001 characters long; the limit is 2000 characters.",
        ),
    ],
)
def test_bad_feedback_is_a_400_on_its_field(
    user: User, payload: dict[str, Any], field: str, message: str | None
) -> None:
    prediction = shown(text_done(user))

    response = api_client(user).post(
        FEEDBACK, {"prediction": prediction.pk, **payload}, format="json"
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]
    assert not Feedback.objects.exists()


def test_a_prediction_one_cannot_see_or_that_does_not_exist_is_a_404(
    user: User, other_user: User
) -> None:
    theirs = shown(text_done(other_user))
    client = api_client(user)

    for prediction_id in (theirs.pk, theirs.pk + 1000):
        response = client.post(
            FEEDBACK,
            {"prediction": prediction_id, "kind": "register", "suggested_label": "soutenu"},
        )
        assert response.status_code == 404
    assert not Feedback.objects.exists()


def _send(user: User, submission: Submission, label: str = "soutenu") -> int:
    response = api_client(user).post(
        FEEDBACK,
        {"prediction": shown(submission).pk, "kind": "register", "suggested_label": label},
    )
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def _listed(user: User, **query: str) -> set[int]:
    response = api_client(user).get(FEEDBACK, query)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_people_read_their_own_feedback_and_reviewers_their_corpuss() -> None:
    # Given feedback from two annotators of a corpus, and from someone on their own text
    cast = cast_create()
    submission = text_done(cast.author, corpus=cast.corpus)
    from_author = _send(cast.author, submission)
    from_annotator = _send(cast.annotator, submission, label="neutre")
    elsewhere = _send(cast.other, text_done(cast.other))

    # Then each reads their own; the corpus's owner and reviewers read everyone's in it
    assert _listed(cast.author) == {from_author}
    assert _listed(cast.annotator) == {from_annotator}
    assert _listed(cast.viewer) == set()
    assert _listed(cast.reviewer) == {from_author, from_annotator}
    assert _listed(cast.corpus_owner) == {from_author, from_annotator}
    assert _listed(cast.other) == {elsewhere}
    assert _listed(cast.site_reviewer) == set()
    assert _listed(cast.superuser) == set()


def test_the_feedback_list_filters_by_corpus_kind_and_submission() -> None:
    cast = cast_create()
    in_corpus = text_done(cast.reviewer, corpus=cast.corpus)
    recording = audio_done(cast.reviewer)
    register = _send(cast.reviewer, in_corpus)
    segment_prediction = recording.transcript.segments.get(index=0).current_prediction
    assert segment_prediction is not None
    transcript = api_client(cast.reviewer).post(
        FEEDBACK, {"prediction": segment_prediction.pk, "kind": "transcript"}
    )
    flagged = int(transcript.json()["id"])

    assert _listed(cast.reviewer, corpus=str(cast.corpus.public_id)) == {register}
    assert _listed(cast.reviewer, kind="transcript") == {flagged}
    assert _listed(cast.reviewer, submission=str(recording.public_id)) == {flagged}


@pytest.mark.parametrize("query", [{"kind": "opinion"}, {"corpus": "x"}, {"submission": "12"}])
def test_a_bad_feedback_filter_is_a_400(user: User, query: dict[str, str]) -> None:
    response = api_client(user).get(FEEDBACK, query)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(query)


def test_without_credentials_feedback_is_a_401() -> None:
    assert api_client().get(FEEDBACK).status_code == 401
    assert api_client().post(FEEDBACK, {"prediction": 1, "kind": "register"}).status_code == 401
