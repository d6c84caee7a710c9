"""No job lost, none stuck: the claim rules, the reconciler, and a broker that is down."""

import datetime
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from celery import Celery, current_app
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from annotation.models import Prediction, Submission, Transcript
from annotation.services import submission_start
from annotation.tests.factories import SubmissionFactory
from common import jobs
from pipeline.reconciler import jobs_reconcile

LONG_AGO = datetime.timedelta(minutes=10)


@pytest.fixture
def reconcile(django_capture_on_commit_callbacks: Any) -> Any:
    """jobs_reconcile, with the messages it queues on commit sent (tests run in a transaction)."""

    def run() -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return jobs_reconcile()

    return run


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """The test run's Redis broker database, emptied before and after."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    yield client
    client.flushdb()


def sent(broker: redis.Redis, queue: str) -> list[tuple[str, list[Any]]]:
    """(task name, args) of the messages waiting in `queue`, oldest first."""
    messages = [json.loads(raw) for raw in reversed(broker.lrange(queue, 0, -1))]
    return [(m["headers"]["task"], json.loads(_body(m))[0]) for m in messages]


def _body(message: dict[str, Any]) -> str:
    import base64

    return base64.b64decode(message["body"]).decode()


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# --- Claims: a duplicate message never runs a job twice at once ------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("holder", "silent_for", "takeover", "taken"),
    [
        pytest.param("here-alive", 0, False, False, id="holder-alive-here"),
        pytest.param("here-dead", 0, False, True, id="holder-dead-here"),
        pytest.param("elsewhere", 0, False, False, id="holder-elsewhere-within-lease"),
        pytest.param("elsewhere", 120, False, True, id="holder-elsewhere-silent-past-lease"),
        pytest.param("here-alive", 0, True, True, id="own-retry"),
        pytest.param("me", 0, False, True, id="same-process-again"),
    ],
)
def test_a_running_job_is_taken_over_only_when_its_holder_is_gone(
    holder: str, silent_for: int, takeover: bool, taken: bool
) -> None:
    host = socket.gethostname()
    me = f"{host}:{os.getpid()}"
    claimed_by = {
        "here-alive": f"{host}:{os.getppid()}",
        "here-dead": f"{host}:{dead_pid()}",
        "elsewhere": "another-host:1234",
        "me": me,
    }[holder]
    submission = SubmissionFactory.create(
        status=Submission.Status.CLASSIFYING,
        attempts=1,
        claimed_by=claimed_by,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=silent_for),
    )

    claimed = submission_start(submission_id=submission.pk, worker=me, takeover=takeover)

    submission.refresh_from_db()
    assert (claimed is not None) is taken
    assert submission.attempts == (2 if taken else 1)
    assert submission.claimed_by == (me if taken else claimed_by)


# --- The reconciler ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_queued_job_whose_message_is_gone_is_sent_again_once(
    broker: redis.Redis, reconcile: Any
) -> None:
    # Given a job queued long ago whose message the broker lost (its queue is empty)
    lost = SubmissionFactory.create(heartbeat_at=timezone.now() - LONG_AGO)
    SubmissionFactory.create()  # just sent: its message may well be on its way

    # When the reconciler runs twice in a row
    first = reconcile()
    second = reconcile()

    # Then the lost job, and it alone, was sent again, once
    assert first.queued_resent == 1
    assert second.total == 0
    assert sent(broker, "nlp") == [(jobs.CLASSIFY_SUBMISSION, [lost.pk])]


@pytest.mark.django_db
def test_queued_jobs_wait_while_their_queue_still_holds_messages(
    broker: redis.Redis, reconcile: Any
) -> None:
    SubmissionFactory.create(heartbeat_at=timezone.now() - LONG_AGO)
    current_app.send_task(jobs.CLASSIFY_SUBMISSION, args=(0,))  # another job's message

    assert reconcile().queued_resent == 0


@pytest.mark.django_db
def test_a_running_job_whose_worker_went_silent_is_sent_again(
    broker: redis.Redis, reconcile: Any
) -> None:
    silent = SubmissionFactory.create(
        status=Submission.Status.CLASSIFYING,
        attempts=1,
        claimed_by="gone-host:1",
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    SubmissionFactory.create(
        status=Submission.Status.CLASSIFYING,
        attempts=1,
        claimed_by="busy-host:1",
        heartbeat_at=timezone.now(),
    )

    assert reconcile().running_resent == 1
    assert sent(broker, "nlp") == [(jobs.CLASSIFY_SUBMISSION, [silent.pk])]


@pytest.mark.django_db
def test_a_silent_job_is_sent_again_once_while_its_copy_waits_in_the_queue(
    broker: redis.Redis, reconcile: Any
) -> None:
    # Given a job whose worker died, sent again by the reconciler
    silent = SubmissionFactory.create(
        status=Submission.Status.CLASSIFYING,
        attempts=1,
        claimed_by="gone-host:1",
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    assert reconcile().running_resent == 1
    silent.refresh_from_db()
    assert silent.claimed_by == ""  # nobody's until a worker claims it

    # When it is silent past its lease again while the copy still waits (a busy worker)
    Submission.objects.filter(pk=silent.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    waiting = reconcile()
    # Then no second copy fills the queue
    assert waiting.running_resent == 0
    assert sent(broker, "nlp") == [(jobs.CLASSIFY_SUBMISSION, [silent.pk])]

    # And once the queue has drained without the job being claimed, it is sent again
    broker.delete("nlp")
    assert reconcile().running_resent == 1
    assert sent(broker, "nlp") == [(jobs.CLASSIFY_SUBMISSION, [silent.pk])]


@pytest.mark.django_db
def test_a_transcribed_recording_waiting_for_its_register_gets_its_classification_again(
    broker: redis.Redis, reconcile: Any
) -> None:
    submission = SubmissionFactory.create(
        kind=Submission.Kind.AUDIO,
        status=Submission.Status.CLASSIFYING,
        attempts=1,
        heartbeat_at=timezone.now() - LONG_AGO,
    )
    transcript = Transcript.objects.create(submission=submission, duration_s=2.0, model="test")
    queued_audio = SubmissionFactory.create(
        kind=Submission.Kind.AUDIO, heartbeat_at=timezone.now() - LONG_AGO
    )

    result = reconcile()

    assert (result.running_resent, result.queued_resent) == (1, 1)
    assert sent(broker, "nlp") == [(jobs.CLASSIFY_TRANSCRIPT, [transcript.pk, 1])]
    assert sent(broker, "asr") == [(jobs.TRANSCRIBE_SUBMISSION, [queued_audio.pk])]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_that_starts_runs_the_jobs_whose_messages_were_lost(
    worker: subprocess.Popen[bytes], user: User
) -> None:
    # Given text jobs saved while no message reached the broker (it restarted empty)
    lost = [
        SubmissionFactory.create(user=user, text=f"Wesh, t'as vu ça ? Numéro {n}.")
        for n in range(3)
    ]
    Submission.objects.update(heartbeat_at=timezone.now() - LONG_AGO)

    # When a worker starts (the fixture started one): its first act is to reconcile
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not Submission.objects.exclude(status=Submission.Status.DONE).exists():
            break
        time.sleep(0.5)

    # Then every job is done, once
    for submission in lost:
        submission.refresh_from_db()
        assert submission.status == Submission.Status.DONE, submission.failure_reason
        assert submission.attempts == 1
        assert Prediction.objects.filter(submission=submission).count() == 1


# --- A broker that is down ---------------------------------------------------------------------


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[Celery]:
    """For this test, jobs are sent to a Redis port where nothing listens (a real refusal)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    portal_app = current_app._get_current_object()  # type: ignore[attr-defined]
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{port}/0")
    Celery("unreachable", set_as_current=True).set_current()
    try:
        yield portal_app
    finally:
        portal_app.set_current()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_a_text_gets_a_clear_503_and_runs_once_it_is_back(
    member_client: Client, broker_down: Celery, broker: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = member_client.post(reverse("annotation:submission_new"), {"text": "Salut, ça va ?"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Votre envoi est enregistré et sera traité dès son retour" in page
    [saved] = Submission.objects.all()
    assert saved.status == Submission.Status.QUEUED

    # Once the broker is back, the reconciler sends it: nobody sends the text again.
    Submission.objects.update(heartbeat_at=timezone.now() - LONG_AGO)
    monkeypatch.setenv("CELERY_BROKER_URL", settings.CELERY_BROKER_URL)
    broker_down.set_current()  # the portal's app
    assert jobs_reconcile().queued_resent == 1
    assert sent(broker, "nlp") == [(jobs.CLASSIFY_SUBMISSION, [saved.pk])]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_the_api_answers_503_in_its_error_format(
    user: User, broker_down: Celery
) -> None:
    from annotation.tests.api_fixtures import api_client

    response = api_client(user).post("/api/v1/submissions/", {"text": "Bonjour."}, format="json")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert (body["status"], body["code"]) == (503, "queue_unavailable")
    assert "saved" in body["detail"] or "enregistré" in body["detail"]
