"""A running job's heartbeat: written by its own thread while the job's code is busy."""

import datetime
import time
from typing import Any

import pytest
from django.utils import timezone

from annotation.models import Submission
from annotation.tests.factories import SubmissionFactory
from pipeline.heartbeat import heartbeat

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _busy(seconds: float) -> None:
    """Pure Python work that holds the interpreter, as a model's Python loop does."""
    end = time.monotonic() + seconds
    total = 0
    while time.monotonic() < end:
        total += sum(range(1000))


def test_the_heartbeat_is_written_while_the_job_is_busy(settings: Any) -> None:
    settings.PARLURE_JOB_HEARTBEAT_SECONDS = 0.2
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = SubmissionFactory.create(
        status=Submission.Status.CLASSIFYING, claimed_by="here:1", heartbeat_at=long_ago
    )
    seen: list[datetime.datetime] = []

    with heartbeat(submission_id=job.pk, worker="here:1"):
        for _ in range(3):
            _busy(0.5)
            beat = Submission.objects.get(pk=job.pk).heartbeat_at
            assert beat is not None
            seen.append(beat)

    assert all(beat > long_ago for beat in seen)
    assert seen[0] < seen[-1]  # written again and again, not once


def test_the_heartbeat_stops_for_a_job_that_is_no_longer_ours(settings: Any) -> None:
    settings.PARLURE_JOB_HEARTBEAT_SECONDS = 0.1
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = SubmissionFactory.create(
        status=Submission.Status.CLASSIFYING, claimed_by="elsewhere:2", heartbeat_at=long_ago
    )

    with heartbeat(submission_id=job.pk, worker="here:1"):
        time.sleep(0.5)

    assert Submission.objects.get(pk=job.pk).heartbeat_at == long_ago
