"""Feedback on a label: one click from the result page, no duplicates, clear refusals.

A click sends what the page's script sends: the API's feedback, with the person's session. The
plain form (without JavaScript) posts to the page and comes back with a message.
"""

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from annotation.models import Submission
from annotation.tests.api_fixtures import api_error_text
from review.models import Feedback, ReviewItem
from review.tests.factories import SECOND, TEXT, audio_submission, text_submission

pytestmark = pytest.mark.django_db


def _post(
    client: Client,
    submission: Submission,
    *,
    segment: int | None = None,
    sentence: Any = None,
    label: Any = None,
    **fields: Any,
) -> Any:
    """A click on the control of the whole text, a sentence or a segment (static/js/review.js)."""
    prediction = submission.current_prediction
    if segment is not None:
        prediction = submission.transcript.segments.get(index=segment).current_prediction
    assert prediction is not None
    payload = {"prediction": prediction.pk, "kind": "register", **fields}
    if sentence is not None:
        payload["sentence_index"] = sentence
    if label is not None:
        payload["suggested_label"] = label
    return client.post(
        reverse("api:feedback-list"), data=json.dumps(payload), content_type="application/json"
    )


def test_feedback_on_the_whole_text_is_recorded_and_queued(
    owner_client: Client, user: User
) -> None:
    submission = text_submission(user)

    response = _post(owner_client, submission, label="soutenu", comment="C'est poli.")

    assert response.status_code == 201
    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.prediction) == (user, submission.current_prediction)
    assert (feedback.kind, feedback.suggested_label, feedback.comment) == (
        "register",
        "soutenu",
        "C'est poli.",
    )
    assert feedback.sentence_index is None
    item = ReviewItem.objects.get()
    assert (item.reason, item.status, item.text, item.model_label) == (
        "feedback",
        "open",
        TEXT,
        "familier",
    )


def test_a_second_click_updates_the_first_feedback(owner_client: Client, user: User) -> None:
    submission = text_submission(user)
    _post(owner_client, submission, label="soutenu")

    response = _post(owner_client, submission, label="neutre", comment="Plutôt neutre.")

    assert response.status_code == 200  # not 201: the earlier feedback, updated
    feedback = Feedback.objects.get()
    assert (feedback.suggested_label, feedback.comment) == ("neutre", "Plutôt neutre.")
    assert ReviewItem.objects.count() == 1


def test_feedback_on_one_sentence_opens_an_item_for_that_sentence(
    owner_client: Client, user: User
) -> None:
    submission = text_submission(user)

    response = _post(owner_client, submission, sentence=1, label="neutre")

    assert response.status_code == 201
    item = ReviewItem.objects.get()
    assert item.sentence_index == 1
    assert item.text == TEXT[SECOND:]
    assert item.model_label == "familier"


def test_someone_elses_submission_is_a_404(owner_client: Client, other_user: User) -> None:
    submission = text_submission(other_user)

    response = _post(owner_client, submission, label="soutenu")

    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_an_unknown_submission_or_segment_is_a_404(owner_client: Client, user: User) -> None:
    missing = reverse("review:feedback_create", args=[uuid.uuid4()])
    assert owner_client.post(missing, {"label": "soutenu"}).status_code == 404
    text = reverse("review:feedback_create", args=[text_submission(user).public_id])
    assert owner_client.post(text, {"segment": "3", "label": "soutenu"}).status_code == 404


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"label": "poli"}, '"poli" is not a valid choice.'),
        ({}, "Pick the right register: soutenu, neutre or familier."),
        ({"label": "familier"}, "That is already the register shown."),
        ({"sentence": 0, "label": "soutenu"}, "That is already the register shown."),
        ({"sentence": 7, "label": "soutenu"}, "There is no such sentence in this text."),
        ({"kind": "spelling", "label": "soutenu"}, '"spelling" is not a valid choice.'),
        ({"kind": "transcript"}, "Only the text of a transcript segment can be flagged as wrong."),
        ({"label": "soutenu", "comment": "x" * 2001}, "the limit is 2000 characters"),
        ({"label": "soutenu", "sentence": "first"}, "A valid integer is required."),
        ({"label": "soutenu", "sentence": -1}, "greater than or equal to 0"),
        ({"label": ["soutenu"]}, "is not a valid choice"),
    ],
)
def test_bad_input_is_a_400_with_a_clearapi_error_text(
    owner_client: Client, user: User, payload: dict[str, Any], message: str
) -> None:
    response = _post(owner_client, text_submission(user), **payload)

    assert response.status_code == 400
    assert message in api_error_text(response)
    assert not Feedback.objects.exists()
    assert not ReviewItem.objects.exists()


@pytest.mark.parametrize("body", ["{label", "[" * 5000 + "]" * 5000], ids=["broken", "nested"])
def test_a_body_that_is_not_json_is_a_400(owner_client: Client, user: User, body: str) -> None:
    response = owner_client.post(
        reverse("api:feedback-list"), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_anonymous_people_are_sent_to_log_in(client: Client, user: User) -> None:
    url = reverse("review:feedback_create", args=[text_submission(user).public_id])
    response = client.post(url, {"label": "soutenu"})
    from_script = _post(client, text_submission(user), label="soutenu")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert from_script.status_code == 401
    assert not Feedback.objects.exists()


def test_only_post_is_allowed(owner_client: Client, user: User) -> None:
    url = reverse("review:feedback_create", args=[text_submission(user).public_id])
    assert owner_client.get(url).status_code == 405


def test_without_javascript_the_form_posts_and_comes_back(owner_client: Client, user: User) -> None:
    submission = text_submission(user)
    url = reverse("review:feedback_create", args=[submission.public_id])
    detail = reverse("annotation:submission_detail", args=[submission.public_id])

    response = owner_client.post(url, {"kind": "register", "label": "soutenu", "comment": ""})
    refused = owner_client.post(url, {"kind": "register", "label": "familier"}, follow=True)

    assert response.status_code == 302
    assert response["Location"] == detail
    assert Feedback.objects.get().suggested_label == "soutenu"
    assert "That is already the register shown." in refused.content.decode()
    garbled = owner_client.post(url, {"sentence": "first", "label": "neutre"}, follow=True)
    assert "This form was not filled in as expected." in garbled.content.decode()


def test_a_segment_can_be_flagged_for_its_register_or_its_text(
    owner_client: Client, user: User
) -> None:
    submission = audio_submission(user, ["Bonjour à tous.", "Wesh la team."])

    register = _post(owner_client, submission, segment=1, label="familier")
    transcript = _post(owner_client, submission, segment=1, kind="transcript", comment="« wesh »")

    assert (register.status_code, transcript.status_code) == (201, 201)
    segment_prediction = submission.transcript.segments.get(index=1).current_prediction
    kinds = {f.kind: f for f in Feedback.objects.filter(prediction=segment_prediction)}
    assert set(kinds) == {"register", "transcript"}
    assert kinds["transcript"].suggested_label == ""
    item = ReviewItem.objects.get()  # one item for the segment's prediction
    assert (item.prediction, item.text) == (segment_prediction, "Wesh la team.")


def test_feedback_on_an_uncertain_item_makes_it_a_feedback_item(
    owner_client: Client, user: User
) -> None:
    from review.services import review_item_open_uncertain

    submission = text_submission(user, label="neutre", top_label="familier", uncertain=True)
    review_item_open_uncertain(prediction=submission.current_prediction)  # type: ignore[arg-type]

    response = _post(owner_client, submission, label="familier")

    assert response.status_code == 201
    item = ReviewItem.objects.get()
    assert (item.reason, item.model_label) == ("feedback", "familier")


def test_the_result_page_has_the_controls(owner_client: Client, user: User) -> None:
    submission = text_submission(user)
    action = reverse("review:feedback_create", args=[submission.public_id])

    page = owner_client.get(reverse("annotation:submission_detail", args=[submission.public_id]))

    html = page.content.decode()
    assert html.count(f'action="{action}"') == 3  # the whole text and each of its 2 sentences
    assert "Wrong register?" in html
    assert 'name="sentence" value="1"' in html
    assert 'value="familier" required disabled' in html  # the register shown cannot be picked
    assert "js/review.js" in html
    # What the script sends instead of the form: the API, about the prediction shown.
    assert html.count('data-api-url="/api/v1/feedback/"') == 3
    assert f'data-prediction="{submission.current_prediction_id}"' in html


def test_the_transcript_editor_has_the_controls(owner_client: Client, user: User) -> None:
    submission = audio_submission(user, ["Bonjour à tous.", "Wesh la team."])

    page = owner_client.get(reverse("annotation:submission_detail", args=[submission.public_id]))

    html = page.content.decode()
    assert html.count('name="segment" value="1"') == 2  # its register, and its text
    assert "Wrong text?" in html


def test_changed_feedback_reopens_a_decided_item_but_a_repeat_does_not(
    owner_client: Client, user: User, reviewer: User
) -> None:
    from review.services import judgement_record

    submission = text_submission(user)
    _post(owner_client, submission, label="soutenu")
    item = ReviewItem.objects.get()
    judgement_record(item=item, reviewer=reviewer, decision="accept")

    _post(owner_client, submission, label="soutenu")  # the same click again
    item.refresh_from_db()
    assert item.status == "decided"

    _post(owner_client, submission, label="neutre")  # the person changed their mind
    item.refresh_from_db()
    assert (item.status, item.final_label) == ("open", "soutenu")
