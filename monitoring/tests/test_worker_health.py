"""Worker health for people waiting on a job: the status JSON and the page say when none works."""

import datetime
import time
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from annotation.models import Submission, Transcript
from annotation.tests.conftest import celery_worker
from common import workers as common_workers

from .conftest import WorkersSetter, english_client
from .helpers import finished_job

pytestmark = pytest.mark.django_db

NO_WORKER = "No worker is running right now; your job will start when one is back."


def waiting_job(
    user: User,
    *,
    kind: str = Submission.Kind.TEXT,
    status: str = Submission.Status.QUEUED,
    seconds: float = 10,
) -> Submission:
    """A job in progress, submitted ``seconds`` ago."""
    submission = Submission.objects.create(user=user, kind=kind, text="Salut !", status=status)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )
    submission.refresh_from_db()
    return submission


def status(client: Client, submission: Submission) -> dict[str, Any]:
    """What the result page's poll reads: the API's status, then the result area as HTML."""
    api = client.get(f"/api/v1/submissions/{submission.public_id}/status/")
    page = client.get(f"/soumissions/{submission.public_id}/resultat/")
    assert (api.status_code, page.status_code) == (200, 200)
    return {**api.json(), "html": page.content.decode()}


def test_no_worker_for_the_queue_is_said_in_the_json_and_the_page(
    user: User, workers: WorkersSetter
) -> None:
    workers({"asr-1@host": ["asr"]})  # alive, but not for texts
    job = waiting_job(user)
    data = status(english_client(user), job)
    assert data["worker_warning"] == {
        "code": "no_worker",
        "queue": "nlp",
        "message": NO_WORKER,
        "hint": "",  # the hint is for staff
    }
    assert NO_WORKER in str(data["html"])
    assert 'data-worker-warning="no_worker"' in str(data["html"])
    assert "Staff:" not in str(data["html"])
    # The page itself, before any poll, says it too.
    page = english_client(user).get(f"/soumissions/{job.public_id}/")
    assert NO_WORKER in page.content.decode()


def test_staff_get_a_hint(staff: User, workers: WorkersSetter) -> None:
    workers({})
    data = status(english_client(staff), waiting_job(staff))
    warning = data["worker_warning"]
    assert isinstance(warning, dict)
    assert warning["code"] == "no_worker"
    assert "“nlp”" in warning["hint"]
    assert "Staff: no worker consumes" in str(data["html"])
    assert "/suivi/" in str(data["html"])


def test_no_warning_when_a_worker_consumes_the_queue(user: User, workers: WorkersSetter) -> None:
    workers({"nlp-1@host": ["nlp"], "asr-1@host": ["asr"]})
    data = status(english_client(user), waiting_job(user))
    assert data["worker_warning"] is None
    assert "worker-warning" not in str(data["html"])


def test_a_job_queued_too_long_is_stalled(user: User, workers: WorkersSetter) -> None:
    workers({"nlp-1@host": ["nlp"]})
    with override_settings(PARLURE_STALLED_AFTER_SECONDS=120):
        data = status(english_client(user), waiting_job(user, seconds=300))
    warning = data["worker_warning"]
    assert isinstance(warning, dict)
    assert warning["code"] == "stalled"
    assert "(5 min)" in warning["message"]
    assert 'data-worker-warning="stalled"' in str(data["html"])


def test_a_running_job_is_not_stalled_while_its_worker_answers(
    user: User, workers: WorkersSetter
) -> None:
    workers({"nlp-1@host": ["nlp"]})
    job = waiting_job(user, status=Submission.Status.CLASSIFYING, seconds=600)
    assert status(english_client(user), job)["worker_warning"] is None


def test_audio_waits_on_asr_then_on_nlp(user: User, workers: WorkersSetter) -> None:
    workers({"nlp-1@host": ["nlp"]})
    recording = waiting_job(user, kind=Submission.Kind.AUDIO)
    data = status(english_client(user), recording)
    assert data["worker_warning"]["queue"] == "asr"
    # Transcribed: now the register of the transcript is computed on nlp, which is served.
    Submission.objects.filter(pk=recording.pk).update(status=Submission.Status.CLASSIFYING)
    Transcript.objects.create(submission=recording, language="fr", duration_s=2, model="whisper")
    assert status(english_client(user), recording)["worker_warning"] is None


def test_nothing_is_asked_for_a_finished_or_brand_new_job(
    user: User, workers: WorkersSetter
) -> None:
    calls = workers({})
    done = finished_job(user=user)
    assert status(english_client(user), done)["worker_warning"] is None
    fresh = waiting_job(user, seconds=0)
    assert status(english_client(user), fresh)["worker_warning"] is None
    assert calls == []


def test_the_workers_answer_is_cached(user: User, workers: WorkersSetter) -> None:
    calls = workers({})
    job = waiting_job(user)
    for _ in range(3):
        status(english_client(user), job)
    assert calls == [common_workers.WORKER_PING_TIMEOUT]
    assert common_workers.worker_health(refresh=True).workers == {}
    assert len(calls) == 2


def test_an_unreachable_broker_counts_as_no_worker(user: User, workers: WorkersSetter) -> None:
    workers(ConnectionError("Error 111 connecting to 127.0.0.1:6379"))
    data = status(english_client(user), waiting_job(user))
    assert data["worker_warning"]["code"] == "no_worker"
    health = common_workers.worker_health()
    assert "Error 111" in health.error


# --- A real worker ------------------------------------------------------------------------------


@pytest.fixture
def real_broadcast(monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker needs no model to answer a ping: skip loading them.
    monkeypatch.setenv("PARLURE_WARM_UP_MODELS", "")


def _wait_for_consumers(queue: str, present: bool, timeout: float) -> common_workers.WorkerHealth:
    deadline = time.monotonic() + timeout
    while True:
        health = common_workers.worker_health(refresh=True)
        if bool(health.consumers(queue)) == present or time.monotonic() > deadline:
            return health
        time.sleep(0.5)


@pytest.mark.worker
@pytest.mark.slow
def test_a_real_worker_answers_the_ping(user: User, real_broadcast: None) -> None:
    client = english_client(user)
    text, recording = waiting_job(user), waiting_job(user, kind=Submission.Kind.AUDIO)
    with celery_worker("nlp"):
        health = _wait_for_consumers("nlp", present=True, timeout=60)
        assert health.consumers("nlp"), health
        assert not health.consumers("asr")
        assert status(client, text)["worker_warning"] is None
        assert status(client, recording)["worker_warning"]["queue"] == "asr"
    health = _wait_for_consumers("nlp", present=False, timeout=30)
    assert not health.consumers("nlp")
    assert status(client, text)["worker_warning"]["code"] == "no_worker"
