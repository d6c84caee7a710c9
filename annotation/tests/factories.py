import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from annotation.models import Prediction, Submission


class SubmissionFactory(factory.django.DjangoModelFactory[Submission]):
    class Meta:
        model = Submission

    user = factory.SubFactory(UserFactory)
    text = "Je vous prie d'agréer l'expression de mes salutations distinguées."


class PredictionFactory(factory.django.DjangoModelFactory[Prediction]):
    class Meta:
        model = Prediction

    submission = factory.SubFactory(SubmissionFactory)
    label = "soutenu"
    scores = {"soutenu": 0.8, "neutre": 0.15, "familier": 0.05}
    model_version = "test-version"
    latency_ms = 12
    # Explained at once, as a text someone submits; an import's are not (explained_at=None).
    explained_at = factory.LazyFunction(timezone.now)


def done_submission(**kwargs: object) -> Submission:
    """A finished submission whose current prediction has the given label."""
    label = kwargs.pop("label", "soutenu")
    submission = SubmissionFactory.create(**kwargs)
    prediction = PredictionFactory.create(submission=submission, label=label)
    submission.current_prediction = prediction
    submission.status = Submission.Status.DONE
    submission.finished_at = timezone.now()
    submission.save()
    return submission
