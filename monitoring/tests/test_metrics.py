"""GET /metrics: who may read it, and every metric family with the figures the data gives."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import current_app as celery_app
from django.conf import settings
from django.test import Client, override_settings
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Submission
from learning.models import ModelVersion

from .conftest import WorkersSetter, english_client
from .helpers import broker, feedback_on, finished_job, judged_item, parse, value

TOKEN = "a-long-random-token-for-prometheus"

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_broker() -> Iterator[None]:
    broker().flushdb()
    yield
    broker().flushdb()


# --- Access -------------------------------------------------------------------------------------


def test_anonymous_is_asked_to_authenticate(client: Client) -> None:
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"parlure_" not in response.content


def test_a_member_is_refused(member_client: Client) -> None:
    response = member_client.get("/metrics")
    assert response.status_code == 403
    assert b"parlure_" not in response.content


def test_staff_reads_the_metrics(staff_client: Client, workers: WorkersSetter) -> None:
    response = staff_client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"parlure_jobs" in response.content


@override_settings(PARLURE_METRICS_TOKEN=TOKEN)
def test_the_token_reads_the_metrics(client: Client, workers: WorkersSetter) -> None:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert b"parlure_jobs" in response.content


@override_settings(PARLURE_METRICS_TOKEN=TOKEN)
@pytest.mark.parametrize("token", ["wrong", TOKEN[:-1], TOKEN + "x", ""])
def test_a_wrong_token_is_refused(client: Client, token: str) -> None:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert b"parlure_" not in response.content


@override_settings(PARLURE_METRICS_TOKEN="")
def test_no_token_configured_means_staff_only(client: Client, staff: User) -> None:
    response = client.get("/metrics", headers={"Authorization": "Bearer "})
    assert response.status_code == 403
    assert client.get("/metrics").status_code == 401


def test_metrics_are_read_only(staff_client: Client) -> None:
    assert staff_client.post("/metrics").status_code == 405


# --- Figures ------------------------------------------------------------------------------------


def test_every_metric_family_has_the_figures_of_the_data(
    user: User, staff: User, workers: WorkersSetter, empty_broker: None
) -> None:
    # Jobs: three texts (0.4 s, 0.8 s, 3 s of work), a recording transcribed in 40 s whose
    # transcript was then classified, a failed text, two waiting.
    texts = [
        finished_job(user=user, took=0.4, label="soutenu", version="e5-v1"),
        finished_job(user=user, took=0.8, label="familier", version="e5-v1"),
        finished_job(user=user, took=3.0, label="familier", version="e5-v2"),
    ]
    finished_job(
        user=user,
        kind=Submission.Kind.AUDIO,
        took=45.0,
        transcribed_after=40.0,
        label="neutre",
        version="e5-v2",
    )
    finished_job(user=user, took=2.0, status=Submission.Status.FAILED)
    Submission.objects.create(user=user, text="En attente.")
    Submission.objects.create(user=user, kind=Submission.Kind.AUDIO)
    # Feedback: two on registers, one on a transcript; review: two items judged by two reviewers,
    # one of them with different labels.
    other = UserFactory.create()
    first, second, third = (text.current_prediction for text in texts)
    assert first is not None
    assert second is not None
    assert third is not None
    feedback_on(first, user)
    feedback_on(second, user)
    feedback_on(second, other, kind="transcript")
    judged_item(first, [(staff, "soutenu"), (other, "familier")])
    judged_item(second, [(staff, "familier"), (other, "familier")])
    judged_item(third, [(staff, "neutre")])
    # The broker: two messages waiting on nlp, none on asr. Workers: one on nlp only.
    for _ in range(2):
        celery_app.send_task("monitoring.tests.never_run", queue="nlp")
    workers({"nlp-1@host": ["nlp"]})
    ModelVersion.objects.create(version="7", name="e5-v2", is_champion=True)

    response = english_client(staff).get("/metrics")
    assert response.status_code == 200
    samples = parse(response.content.decode())

    # Jobs by state and kind, zeros included.
    assert value(samples, "parlure_jobs", state="done", kind="text") == 3
    assert value(samples, "parlure_jobs", state="done", kind="audio") == 1
    assert value(samples, "parlure_jobs", state="failed", kind="text") == 1
    assert value(samples, "parlure_jobs", state="queued", kind="text") == 1
    assert value(samples, "parlure_jobs", state="queued", kind="audio") == 1
    assert value(samples, "parlure_jobs", state="transcribing", kind="audio") == 0
    assert value(samples, "parlure_jobs", state="classifying", kind="text") == 0
    # Task durations: texts (the failed one too) on nlp, the transcription on asr.
    nlp = {"queue": "nlp", "task": "classify_submission"}
    assert value(samples, "parlure_task_duration_seconds_count", **nlp) == 4
    assert value(samples, "parlure_task_duration_seconds_sum", **nlp) == pytest.approx(6.2)
    assert value(samples, "parlure_task_duration_seconds_bucket", le="0.5", **nlp) == 1
    assert value(samples, "parlure_task_duration_seconds_bucket", le="1.0", **nlp) == 2
    assert value(samples, "parlure_task_duration_seconds_bucket", le="2.5", **nlp) == 3
    assert value(samples, "parlure_task_duration_seconds_bucket", le="+Inf", **nlp) == 4
    asr = {"queue": "asr", "task": "transcribe_submission"}
    assert value(samples, "parlure_task_duration_seconds_count", **asr) == 1
    assert value(samples, "parlure_task_duration_seconds_sum", **asr) == pytest.approx(40.0)
    assert value(samples, "parlure_task_duration_seconds_bucket", le="30.0", **asr) == 0
    assert value(samples, "parlure_task_duration_seconds_bucket", le="60.0", **asr) == 1
    # Predictions by register and model version.
    assert value(samples, "parlure_predictions_total", register="soutenu", model_version="e5-v1")
    assert (
        value(samples, "parlure_predictions_total", register="familier", model_version="e5-v1") == 1
    )
    assert (
        value(samples, "parlure_predictions_total", register="familier", model_version="e5-v2") == 1
    )
    assert (
        value(samples, "parlure_predictions_total", register="neutre", model_version="e5-v2") == 1
    )
    # Feedback and disagreements.
    assert value(samples, "parlure_feedback_total", kind="register") == 2
    assert value(samples, "parlure_feedback_total", kind="transcript") == 1
    assert value(samples, "parlure_review_items_multi_judged") == 2
    assert value(samples, "parlure_review_disagreements") == 1
    # Queues: depth from the broker, consumers from the workers' answer.
    assert value(samples, "parlure_broker_up") == 1
    assert value(samples, "parlure_queue_depth", queue="nlp") == 2
    assert value(samples, "parlure_queue_depth", queue="asr") == 0
    assert value(samples, "parlure_queue_workers", queue="nlp") == 1
    assert value(samples, "parlure_queue_workers", queue="asr") == 0
    # The champion.
    assert (
        value(
            samples,
            "parlure_model_info",
            version="e5-v2",
            registry_version="7",
            source="champion",
        )
        == 1
    )


def test_without_a_champion_the_model_is_the_latest_predictions(
    user: User, staff_client: Client, workers: WorkersSetter
) -> None:
    finished_job(user=user, version="e5-old")
    newest = finished_job(user=user, version="e5-new")
    assert newest.current_prediction is not None
    samples = parse(staff_client.get("/metrics").content.decode())
    assert (
        value(
            samples,
            "parlure_model_info",
            version="e5-new",
            registry_version="",
            source="latest_prediction",
        )
        == 1
    )


def test_requests_are_timed_by_view_method_and_status(
    staff_client: Client, member_client: Client, workers: WorkersSetter
) -> None:
    before = parse(staff_client.get("/metrics").content.decode())
    home = {"view": "home", "method": "GET", "status": "200"}
    missing = {"view": "annotation:submission_detail", "method": "GET", "status": "404"}
    count_before = before.get(
        ("parlure_http_request_duration_seconds_count", frozenset(home.items())), 0.0
    )
    missing_before = before.get(
        ("parlure_http_request_duration_seconds_count", frozenset(missing.items())), 0.0
    )
    member_client.get("/")
    member_client.get("/")
    member_client.get("/soumissions/00000000-0000-0000-0000-000000000000/")

    after = parse(staff_client.get("/metrics").content.decode())
    assert value(after, "parlure_http_request_duration_seconds_count", **home) == count_before + 2
    assert value(after, "parlure_http_request_duration_seconds_sum", **home) > 0
    assert (
        value(after, "parlure_http_request_duration_seconds_count", **missing) == missing_before + 1
    )
    # Scrapes are not requests the portal serves to people.
    assert not any(
        name.startswith("parlure_http_request") and ("view", "metrics") in labels
        for name, labels in after
    )


def test_an_unreachable_broker_leaves_the_other_figures(
    staff_client: Client, workers: WorkersSetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitoring import selectors

    monkeypatch.setattr(selectors, "queue_depths", lambda: None)
    workers(ConnectionError("broker down"))
    samples = parse(staff_client.get("/metrics").content.decode())
    assert value(samples, "parlure_broker_up") == 0
    assert not any(name == "parlure_queue_depth" for name, _labels in samples)
    assert value(samples, "parlure_queue_workers", queue="nlp") == 0
    assert value(samples, "parlure_jobs", state="done", kind="text") == 0


def test_several_web_processes_share_their_request_figures(tmp_path: Path) -> None:
    """With PROMETHEUS_MULTIPROC_DIR (gunicorn), each process writes there and any reads all."""
    folder = tmp_path / "metrics"  # created by the app when missing
    script = (
        "import django; django.setup()\n"
        "from django.http import HttpResponse\n"
        "from django.test import RequestFactory\n"
        "from django.urls import resolve\n"
        "from monitoring import metrics\n"
        "request = RequestFactory().get('/')\n"
        "request.resolver_match = resolve('/')\n"
        "metrics.request_observe(request, HttpResponse(), 0.3)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    for _ in range(2):  # two processes, one request each
        subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=settings.BASE_DIR)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(folder))
    samples = parse(generate_latest(registry).decode())
    home = {"view": "home", "method": "GET", "status": "200"}
    assert value(samples, "parlure_http_request_duration_seconds_count", **home) == 2
    assert value(samples, "parlure_http_request_duration_seconds_sum", **home) == pytest.approx(0.6)


def test_queue_depth_on_the_embedded_file_system_broker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from celery import Celery
    from kombu import Queue

    from monitoring import selectors

    folder = tmp_path / "queue"
    folder.mkdir()
    # Not the current app: shared tasks (classify_submission_task.delay...) of later tests
    # would publish to this throw-away broker.
    embedded = Celery("embedded", broker="filesystem://", set_as_current=False)
    embedded.conf.update(
        broker_transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
        },
        task_queues=(Queue("nlp"), Queue("asr")),
    )
    monkeypatch.setattr(selectors, "celery_app", embedded)
    for queue in ("nlp", "nlp", "nlp", "asr"):
        embedded.send_task("monitoring.tests.never_run", queue=queue)
    assert selectors.queue_depths() == {"nlp": 3, "asr": 1}
