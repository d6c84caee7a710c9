"""Data for the monitoring tests: finished jobs with real timestamps, feedback, judgements."""

import datetime

import redis
from django.conf import settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import User
from annotation.models import Prediction, Submission, Transcript
from annotation.tests.factories import PredictionFactory, SubmissionFactory
from review.models import Feedback, Judgement, ReviewItem


def finished_job(
    *,
    user: User,
    kind: str = Submission.Kind.TEXT,
    waited: float = 0.2,
    took: float = 1.0,
    label: str = "soutenu",
    version: str = "e5-test",
    status: str = Submission.Status.DONE,
    transcribed_after: float | None = None,
    ago: datetime.timedelta = datetime.timedelta(hours=1),
) -> Submission:
    """A job created ``ago``, claimed ``waited`` s later, finished ``took`` s after that.

    For audio, ``transcribed_after`` s after the claim its transcript was written.
    """
    created = timezone.now() - ago
    submission = SubmissionFactory.create(user=user, kind=kind)
    prediction = None
    if status == Submission.Status.DONE:
        prediction = PredictionFactory.create(
            submission=submission, label=label, model_version=version
        )
    started = created + datetime.timedelta(seconds=waited)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=created,
        started_at=started,
        finished_at=started + datetime.timedelta(seconds=took),
        status=status,
        current_prediction=prediction,
    )
    if prediction is not None:
        Prediction.objects.filter(pk=prediction.pk).update(created_at=created)
    if transcribed_after is not None:
        transcript = Transcript.objects.create(
            submission=submission, language="fr", duration_s=5.0, model="whisper-base"
        )
        Transcript.objects.filter(pk=transcript.pk).update(
            created_at=started + datetime.timedelta(seconds=transcribed_after)
        )
    submission.refresh_from_db()
    return submission


def feedback_on(prediction: Prediction, user: User, *, kind: str = "register") -> Feedback:
    return Feedback.objects.create(
        user=user,
        prediction=prediction,
        kind=kind,
        suggested_label="familier" if kind == "register" else "",
    )


def judged_item(prediction: Prediction, judgements: list[tuple[User, str]]) -> ReviewItem:
    """A review item on ``prediction`` with one judgement (reviewer, label) per pair."""
    item = ReviewItem.objects.create(
        prediction=prediction,
        reason=ReviewItem.Reason.FEEDBACK,
        text=prediction.submission.text,
        model_label=prediction.label,
    )
    for reviewer, label in judgements:
        decision = (
            Judgement.Decision.REJECT if label == prediction.label else Judgement.Decision.RELABEL
        )
        Judgement.objects.create(item=item, reviewer=reviewer, decision=decision, label=label)
    return item


def broker() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def parse(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text page: (name, labels) → value."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples[(name, frozenset(labels.items()))]
