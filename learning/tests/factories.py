"""Model versions and shadow answers for the learning tests."""

from accounts.models import User
from annotation.models import Prediction, Submission
from annotation.tests.factories import PredictionFactory, SubmissionFactory
from learning.models import ModelVersion, ShadowPrediction
from review.models import ReviewItem


def shadowed(
    user: User, challenger: ModelVersion, champion_label: str, shadow_label: str, decided: str
) -> Prediction:
    submission = SubmissionFactory.create(user=user)
    prediction = PredictionFactory.create(
        submission=submission, label=champion_label, top_label=champion_label
    )
    Submission.objects.filter(pk=submission.pk).update(
        current_prediction=prediction, status=Submission.Status.DONE
    )
    ShadowPrediction.objects.create(
        prediction=prediction,
        model_version=challenger,
        label=shadow_label,
        top_label=shadow_label,
        scores={},
        latency_ms=1,
    )
    if decided:
        ReviewItem.objects.create(
            prediction=prediction,
            reason=ReviewItem.Reason.UNCERTAIN,
            status=ReviewItem.Status.DECIDED,
            text=submission.text,
            model_label=champion_label,
            final_label=decided,
        )
    return prediction
