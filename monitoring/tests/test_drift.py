"""Data drift: injected traffic that differs from the training data raises the alert and the
gauges; held-out French of the same distribution does not.

The checks use the real reference profile of the shipped champion and the real model (the
registers and the embedding distance come from it), on texts of the built dataset's test split.
"""

import random
from functools import cache

import pytest
from django.core import mail
from django.test import Client, override_settings

from accounts.models import User
from annotation.models import Prediction, Submission
from annotation.tests.factories import PredictionFactory, SubmissionFactory
from learning.models import RetrainingRun
from monitoring.drift import drift_check
from monitoring.models import Alert, DriftCheck
from parlure_ml.register import drift, get_classifier
from parlure_ml.register.examples import load_splits

from .conftest import WorkersSetter
from .helpers import parse, value

pytestmark = pytest.mark.django_db

ENGLISH = [
    "The quarterly report shows that revenue grew by ten percent last year.",
    "Could you please send me the files before Monday morning?",
    "I think we should go to the cinema tonight, it has been ages.",
    "The committee will review the proposal at its next meeting.",
    "Honestly, that movie was way better than I expected.",
    "Please make sure the door is locked when you leave the office.",
    "We are pleased to announce the opening of our new store downtown.",
    "My brother forgot his keys again, so he had to wait outside.",
    "The weather forecast says it will rain all weekend.",
    "Thank you for your patience while we investigate the issue.",
    "She has been working on her thesis for almost three years.",
    "Dude, you should totally check out that new burger place.",
    "The board of directors approved the merger unanimously.",
    "Can you believe how expensive train tickets have become?",
    "Kindly find attached the invoice for the services rendered.",
    "We ran out of milk, could you grab some on your way home?",
    "The museum is closed on Tuesdays and public holidays.",
    "I'm so tired, I could sleep for a whole week.",
    "Applicants must submit their documents before the deadline.",
    "The children played in the garden until it got dark.",
    "Our flight was delayed by four hours because of the storm.",
    "This software update fixes several security vulnerabilities.",
    "Let me know if you need anything else from me.",
    "The professor explained the theory with remarkable clarity.",
    "Wow, that concert last night was absolutely insane!",
    "Residents are advised to stay indoors during the heatwave.",
    "He apologized for the misunderstanding and offered a refund.",
    "Grab your coat, we're leaving in five minutes.",
    "The library has extended its opening hours during exams.",
    "Nobody expected the team to win the championship this season.",
]


@cache
def _registers(texts: tuple[str, ...]) -> list[str]:
    """The real model's most probable register of each text (what a prediction records)."""
    classifier = get_classifier()
    return drift.embed(classifier.network, classifier.batcher, list(texts))[1]


@cache
def _test_split() -> list[str]:
    return [example.text for example in load_splits()["test"]]


def french_held_out(n: int) -> list[str]:
    return random.Random(7).sample(_test_split(), n)


def speech_like_only(n: int) -> list[str]:
    return [text for text in _test_split() if drift.speech_like(text)][:n]


def classified(user: User, texts: list[str]) -> None:
    """Texts submitted and classified just now, each with the register the model gives it."""
    for text, register in zip(texts, _registers(tuple(texts)), strict=True):
        submission = SubmissionFactory.create(user=user, text=text)
        prediction = PredictionFactory.create(
            submission=submission, label=register, top_label=register
        )
        Submission.objects.filter(pk=submission.pk).update(
            status=Submission.Status.DONE, current_prediction=prediction
        )


def scrape(client: Client) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    return parse(response.content.decode())


def test_english_traffic_raises_the_alert_and_the_gauges(
    user: User, administrator: User, staff_client: Client, workers: WorkersSetter
) -> None:
    classified(user, ENGLISH * 4)

    check = drift_check()

    assert check.status == DriftCheck.Status.DRIFT
    assert check.texts == 120
    assert check.embedded == 100  # PARLURE_DRIFT_EMBEDDING_SAMPLE
    drifted = set(check.drifted_features)
    assert {"rare", "distance"} <= drifted, check.features
    alert = Alert.objects.get(kind=Alert.Kind.DRIFT)
    assert alert.count == len(drifted)
    assert [message.to for message in mail.outbox] == [["admin@example.org"]]
    # In the portal's language, French, naming the features in words.
    assert "Dérive des données" in mail.outbox[0].subject
    assert "textes avec des mots rares" in mail.outbox[0].subject

    samples = scrape(staff_client)
    assert value(samples, "parlure_drift_detected") == 1
    assert value(samples, "parlure_drift_window_texts") == 120
    assert value(samples, "parlure_drift_feature_drifted", feature="distance") == 1
    assert value(samples, "parlure_drift_psi", feature="rare") > 0.25

    page = staff_client.get("/suivi/").content.decode()
    assert "Data drift: the last 120 texts differ from the training data" in page


def test_held_out_french_raises_nothing(
    user: User, administrator: User, staff_client: Client, workers: WorkersSetter
) -> None:
    classified(user, french_held_out(200))

    check = drift_check()

    assert check.status == DriftCheck.Status.STABLE, check.features
    assert check.texts == 200
    assert {row["feature"] for row in check.features} == set(drift.FEATURES)
    assert not Alert.objects.filter(kind=Alert.Kind.DRIFT).exists()
    assert mail.outbox == []
    samples = scrape(staff_client)
    assert value(samples, "parlure_drift_detected") == 0
    assert all(
        value(samples, "parlure_drift_feature_drifted", feature=feature) == 0
        for feature in drift.FEATURES
    )
    assert "Data drift: the last" not in staff_client.get("/suivi/").content.decode()


@override_settings(PARLURE_DRIFT_EMBEDDING_SAMPLE=0)
def test_speech_like_traffic_drifts_on_that_feature(user: User) -> None:
    classified(user, speech_like_only(100))

    check = drift_check()

    assert check.status == DriftCheck.Status.DRIFT
    assert "speech_like" in check.drifted_features
    assert check.embedded == 0
    assert "distance" not in {row["feature"] for row in check.features}


@override_settings(PARLURE_DRIFT_EMBEDDING_SAMPLE=0)
def test_a_second_drift_the_same_day_sends_no_second_mail(user: User, administrator: User) -> None:
    classified(user, speech_like_only(100))

    drift_check()
    drift_check()

    assert DriftCheck.objects.filter(status=DriftCheck.Status.DRIFT).count() == 2
    assert Alert.objects.filter(kind=Alert.Kind.DRIFT).count() == 1
    assert len(mail.outbox) == 1


@override_settings(PARLURE_DRIFT_EMBEDDING_SAMPLE=0, PARLURE_DRIFT_RETRAIN=True)
def test_a_drift_queues_a_retraining_when_asked_to(user: User) -> None:
    classified(user, speech_like_only(100))

    drift_check()

    run = RetrainingRun.objects.get()
    assert run.trigger == RetrainingRun.Trigger.DRIFT
    assert run.status == RetrainingRun.Status.QUEUED


@override_settings(PARLURE_DRIFT_EMBEDDING_SAMPLE=0)
def test_no_retraining_by_default(user: User) -> None:
    classified(user, speech_like_only(100))

    assert drift_check().status == DriftCheck.Status.DRIFT
    assert not RetrainingRun.objects.exists()


def test_too_few_texts_are_not_compared(user: User) -> None:
    classified(user, ENGLISH[:10])

    check = drift_check()

    assert check.status == DriftCheck.Status.TOO_FEW
    assert check.features == []
    assert not Alert.objects.exists()


@override_settings(PARLURE_DRIFT_EMBEDDING_SAMPLE=0, PARLURE_DRIFT_WINDOW_DAYS=1)
def test_the_window_leaves_old_traffic_out(user: User) -> None:
    import datetime

    from django.utils import timezone

    classified(user, speech_like_only(100))
    Prediction.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))

    assert drift_check().status == DriftCheck.Status.TOO_FEW


def test_the_check_runs_on_the_model_queue_every_period() -> None:
    from celery import current_app as celery_app
    from django.conf import settings

    entry = celery_app.conf.beat_schedule["monitoring-drift-check"]
    assert entry["task"] == "monitoring.tasks.drift_check_task"
    assert entry["schedule"] == 60 * settings.PARLURE_DRIFT_CHECK_MINUTES
    route = celery_app.conf.task_routes["monitoring.tasks.drift_check_task"]
    assert route == {"queue": "nlp"}


@override_settings(PARLURE_DRIFT_EMBEDDING_SAMPLE=0)
def test_checks_are_listed_in_the_admin(user: User, client: Client) -> None:
    classified(user, speech_like_only(60))
    check = drift_check()
    admin = User.objects.create_superuser(email="root@example.org", password="x-long-password")
    client.force_login(admin)

    listing = client.get("/admin/monitoring/driftcheck/")
    detail = client.get(f"/admin/monitoring/driftcheck/{check.pk}/change/")

    assert listing.status_code == 200
    assert detail.status_code == 200
    assert "speech_like" in detail.content.decode()
