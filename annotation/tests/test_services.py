import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from accounts.models import User
from annotation.models import Prediction, Submission
from annotation.services import (
    REASON_WORKER_LOST,
    prediction_record,
    predictions_record,
    submission_create_text,
    submission_fail,
    submission_start,
    text_clean,
)
from annotation.tests.factories import SubmissionFactory
from parlure_ml.register import RegisterPrediction

pytestmark = pytest.mark.django_db

RESULT = RegisterPrediction(
    label="familier",
    top_label="familier",
    scores={"soutenu": 0.05, "neutre": 0.15, "familier": 0.8},
    uncertain=False,
    model_version="test-model",
)


def test_text_clean_strips_and_drops_control_characters() -> None:
    assert text_clean("  Bonjour\x00 à\x07 tous.\n") == "Bonjour à tous."


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x01"])
def test_text_clean_refuses_empty_text(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        text_clean(text)
    assert error.value.code == "empty"


@override_settings(PARLURE_TEXT_MAX_CHARS=10)
def test_text_clean_refuses_text_over_the_limit() -> None:
    assert text_clean("a" * 10) == "a" * 10
    with pytest.raises(ValidationError) as error:
        text_clean("a" * 11)
    assert error.value.code == "too_long"
    assert error.value.params == {"length": 11, "limit": 10}


def test_submission_create_text_queues_the_job_once_committed(
    user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission, created = submission_create_text(user=user, text=" Salut ! ")
    assert created
    assert submission.text == "Salut !"
    assert submission.status == Submission.Status.QUEUED
    assert len(callbacks) == 1


def test_a_repeated_form_token_returns_the_first_submission(
    user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first, created_first = submission_create_text(user=user, text="Un", client_token=token)
        second, created_second = submission_create_text(user=user, text="Un", client_token=token)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Submission.objects.count() == 1
    assert len(callbacks) == 1


def test_a_recording_starts_transcribing_and_a_text_classifying() -> None:
    recording = SubmissionFactory.create(kind=Submission.Kind.AUDIO)
    text = SubmissionFactory.create(kind=Submission.Kind.TEXT)

    started_recording = submission_start(submission_id=recording.pk)
    started_text = submission_start(submission_id=text.pk)

    assert started_recording is not None
    assert started_text is not None
    assert started_recording.status == Submission.Status.TRANSCRIBING
    assert started_text.status == Submission.Status.CLASSIFYING
    assert started_recording.is_active
    assert started_text.is_active


def test_start_then_record_finishes_the_submission() -> None:
    submission = SubmissionFactory.create()
    started = submission_start(submission_id=submission.pk)
    assert started is not None
    assert started.status == Submission.Status.CLASSIFYING
    assert started.attempts == 1
    prediction = prediction_record(submission_id=submission.pk, result=RESULT, latency_ms=42)
    assert prediction is not None
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DONE
    assert submission.current_prediction == prediction
    assert prediction.label == "familier"
    assert prediction.scores == RESULT.scores
    assert prediction.model_version == "test-model"
    assert prediction.latency_ms == 42
    assert submission.finished_at is not None
    assert submission.progress == 1.0


def test_a_finished_submission_is_left_alone() -> None:
    submission = SubmissionFactory.create()
    submission_start(submission_id=submission.pk)
    prediction_record(submission_id=submission.pk, result=RESULT, latency_ms=1)
    assert submission_start(submission_id=submission.pk) is None
    assert prediction_record(submission_id=submission.pk, result=RESULT, latency_ms=1) is None
    assert submission_fail(submission_id=submission.pk, reason="late") is None
    assert Prediction.objects.filter(submission=submission).count() == 1


def test_a_chunk_is_recorded_at_once_skipping_finished_gone_and_repeated_submissions(
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    waiting = SubmissionFactory.create_batch(5)
    finished = SubmissionFactory.create()
    prediction_record(submission_id=finished.pk, result=RESULT, latency_ms=1)
    ids = [waiting[3].pk, finished.pk, 987654, *(s.pk for s in waiting[:3]), waiting[0].pk]
    ids.append(waiting[4].pk)

    # A lock, an insert, an update, within one transaction: not a few queries per text.
    with django_assert_max_num_queries(6):
        predictions = predictions_record(
            results=[(submission_id, RESULT) for submission_id in ids], latency_ms=7
        )

    order = [waiting[3], waiting[0], waiting[1], waiting[2], waiting[4]]
    assert [p.submission_id for p in predictions] == [s.pk for s in order]
    for submission, prediction in zip(order, predictions, strict=True):
        submission.refresh_from_db()
        assert submission.status == Submission.Status.DONE
        assert submission.current_prediction == prediction
        assert (prediction.latency_ms, prediction.label) == (7, "familier")
    assert Prediction.objects.filter(submission=finished).count() == 1


def test_a_missing_submission_is_nothing_to_do() -> None:
    assert submission_start(submission_id=987654) is None
    assert prediction_record(submission_id=987654, result=RESULT, latency_ms=1) is None


@override_settings(PARLURE_MAX_ATTEMPTS=2)
def test_a_job_whose_worker_keeps_dying_fails_with_a_reason() -> None:
    submission = SubmissionFactory.create()
    assert submission_start(submission_id=submission.pk) is not None  # worker dies
    assert submission_start(submission_id=submission.pk) is not None  # re-delivered, dies again
    assert submission_start(submission_id=submission.pk) is None
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert submission.failure_reason == REASON_WORKER_LOST
