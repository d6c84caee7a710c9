"""Submissions with the predictions the review tests need: sentences, segments, uncertainty."""

from typing import Any

from django.utils import timezone

from accounts.models import User
from annotation.models import Prediction, Segment, Submission, Transcript
from annotation.tests.factories import PredictionFactory, SubmissionFactory
from review.models import ReviewItem
from review.services import feedback_submit, review_item_open_uncertain

TEXT = "Je vous prie d'agréer mes salutations. T'as vu le match hier soir ?"
SECOND = TEXT.index("T'as")


def sentence(start: int, end: int, label: str, top_label: str | None = None) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "label": label,
        "top_label": top_label or label,
        "uncertain": top_label is not None and top_label != label,
        "scores": {"soutenu": 0.1, "neutre": 0.2, "familier": 0.7},
        "evidence": [],
    }


def text_submission(user: User, **prediction: Any) -> Submission:
    """A finished text submission of two sentences (soutenu, then familier)."""
    submission = SubmissionFactory.create(user=user, text=TEXT)
    values: dict[str, Any] = {
        "label": "familier",
        "top_label": "familier",
        "scores": {"soutenu": 0.3, "neutre": 0.1, "familier": 0.6},
        "sentences": [
            sentence(0, SECOND - 1, "soutenu"),
            sentence(SECOND, len(TEXT), "familier"),
        ],
    }
    values.update(prediction)
    submission.current_prediction = PredictionFactory.create(submission=submission, **values)
    submission.status = Submission.Status.DONE
    submission.finished_at = timezone.now()
    submission.save()
    return submission


def audio_submission(user: User, texts: list[str], label: str = "neutre") -> Submission:
    """A finished audio submission: a transcript whose segments each have a prediction."""
    submission = SubmissionFactory.create(
        user=user, kind=Submission.Kind.AUDIO, text=" ".join(texts)
    )
    transcript = Transcript.objects.create(
        submission=submission, language="fr", duration_s=2.0 * len(texts), model="test"
    )
    for index, text in enumerate(texts):
        segment = Segment.objects.create(
            transcript=transcript, index=index, start=2.0 * index, end=2.0 * index + 2, text=text
        )
        segment.current_prediction = PredictionFactory.create(
            submission=submission, segment=segment, label=label, top_label=label
        )
        segment.save()
    submission.current_prediction = PredictionFactory.create(
        submission=submission, label=label, top_label=label
    )
    submission.status = Submission.Status.DONE
    submission.save()
    return submission


def feedback_item(
    user: User, label: str = "soutenu", comment: str = "", **prediction: Any
) -> ReviewItem:
    """A whole-text feedback item: the person says the text is ``label``, the model familier."""
    submission = text_submission(user, **prediction)
    assert submission.current_prediction is not None
    feedback_submit(
        user=user,
        prediction=submission.current_prediction,
        sentence_index=None,
        kind="register",
        suggested_label=label,
        comment=comment,
    )
    return ReviewItem.objects.get(prediction=submission.current_prediction)


def uncertain_item(user: User, top_label: str = "familier") -> ReviewItem:
    prediction: Prediction = text_submission(
        user, label="neutre", top_label=top_label, uncertain=True
    ).current_prediction  # type: ignore[assignment]
    item = review_item_open_uncertain(prediction=prediction)
    assert item is not None
    return item
