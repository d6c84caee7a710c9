"""Uncertain predictions go to the review queue as soon as they are recorded, once."""

import pytest

from accounts.models import User
from annotation.models import Segment, Transcript
from annotation.tests.factories import SubmissionFactory
from parlure_ml.register import RegisterPrediction
from pipeline.results import prediction_record, transcript_predictions_record
from review.models import ReviewItem
from review.services import review_item_open_uncertain

pytestmark = pytest.mark.django_db


def _result(uncertain: bool) -> RegisterPrediction:
    return RegisterPrediction(
        label="neutre" if uncertain else "familier",
        top_label="familier",
        scores={"soutenu": 0.2, "neutre": 0.35, "familier": 0.45 if uncertain else 0.8},
        uncertain=uncertain,
        model_version="test-model",
    )


def test_an_uncertain_prediction_opens_a_review_item(user: User) -> None:
    submission = SubmissionFactory.create(user=user, text="Bon, ben, on verra.")

    prediction = prediction_record(
        submission_id=submission.pk, result=_result(uncertain=True), latency_ms=5
    )

    item = ReviewItem.objects.get()
    assert item.prediction == prediction
    assert (item.reason, item.status, item.sentence_index) == ("uncertain", "open", None)
    assert (item.text, item.model_label) == ("Bon, ben, on verra.", "familier")


def test_a_confident_prediction_does_not(user: User) -> None:
    submission = SubmissionFactory.create(user=user)

    prediction_record(submission_id=submission.pk, result=_result(uncertain=False), latency_ms=5)

    assert not ReviewItem.objects.exists()


def test_opening_twice_keeps_one_item(user: User) -> None:
    submission = SubmissionFactory.create(user=user)
    prediction = prediction_record(
        submission_id=submission.pk, result=_result(uncertain=True), latency_ms=5
    )
    assert prediction is not None

    again = review_item_open_uncertain(prediction=prediction)

    assert again == ReviewItem.objects.get()


def test_uncertain_transcript_and_segments_open_items(user: User) -> None:
    submission = SubmissionFactory.create(user=user, kind="audio", text="Euh bon. Voilà quoi.")
    transcript = Transcript.objects.create(
        submission=submission, language="fr", duration_s=4.0, model="test"
    )
    for index, text in enumerate(["Euh bon.", "Voilà quoi."]):
        Segment.objects.create(
            transcript=transcript, index=index, start=2.0 * index, end=2.0 * index + 2, text=text
        )

    transcript_predictions_record(
        transcript_id=transcript.pk,
        version=1,
        whole=_result(uncertain=True),
        segments=[(0, _result(uncertain=False)), (1, _result(uncertain=True))],
        latency_ms=30,
    )

    items = {item.text: item for item in ReviewItem.objects.select_related("prediction")}
    assert set(items) == {"Euh bon. Voilà quoi.", "Voilà quoi."}
    assert items["Voilà quoi."].prediction.segment == transcript.segments.get(index=1)
    assert items["Euh bon. Voilà quoi."].prediction.segment is None
