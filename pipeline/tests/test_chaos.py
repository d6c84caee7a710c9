"""Chaos, bounded: real workers killed in the middle of jobs, a broker restarted with jobs queued.

A private Redis (no persistence, as a crash or a new pod leaves it) and real Celery workers. The
reconciler runs every two seconds here, as beat would run it (every 30 s in production), with a
short lease so that the test takes a minute, not ten. Every job must end done, once.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery, current_app

from accounts.models import User
from annotation.models import Prediction, Submission
from annotation.services import submission_create_text
from annotation.tests.conftest import celery_worker
from pipeline.reconciler import jobs_reconcile

pytestmark = [
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FAST_LEASES = {
    "PARLURE_JOB_LEASE_SECONDS": "6",
    "PARLURE_JOB_HEARTBEAT_SECONDS": "1",
    "PARLURE_RESEND_QUEUED_AFTER_SECONDS": "3",
}
# Long enough that a worker is surely still on it when it is killed (a few seconds each).
TEXT = "Franchement, ce truc c'est trop relou, j'te jure, on s'en sort plus. " * 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateRedis:
    """A redis-server of this test's own, which the test may kill and start again, empty."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("the private Redis did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()


@pytest.fixture
def private_redis(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    portal_app = current_app._get_current_object()  # type: ignore[attr-defined]
    # This process sends jobs and reconciles through it too, with the portal's routes.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    app = Celery("chaos", set_as_current=True)
    app.conf.update(task_routes=portal_app.conf.task_routes, task_default_queue="nlp")
    app.set_current()
    for name, value in FAST_LEASES.items():
        setattr(settings, name, int(value))
    try:
        yield server
    finally:
        portal_app.set_current()
        server.kill()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _until(condition: Any, timeout: float, reconcile: bool = True) -> None:
    deadline = time.monotonic() + timeout
    next_reconcile = 0.0
    while time.monotonic() < deadline:
        if condition():
            return
        if reconcile and time.monotonic() >= next_reconcile:
            jobs_reconcile()
            next_reconcile = time.monotonic() + 2
        time.sleep(0.2)
    raise AssertionError(f"not reached in {timeout} s: {Submission.objects.values('status')}")


def _running() -> bool:
    return Submission.objects.filter(status__in=Submission.ACTIVE_STATUSES).exists()


def test_jobs_survive_killed_workers_and_a_broker_restart(
    private_redis: PrivateRedis, user: User
) -> None:
    def worker() -> Any:
        return celery_worker("nlp", broker_url=private_redis.url, env_extra=FAST_LEASES)

    with ExitStack() as workers:
        first = workers.enter_context(worker())
        jobs = [submission_create_text(user=user, text=f"{n}. {TEXT}")[0] for n in range(8)]

        # 1. A pool process killed in the middle of a job (its parent lives on).
        _until(_running, 120, reconcile=False)
        for child in _children(first.pid):
            os.kill(child, signal.SIGKILL)

        # 2. A whole worker killed, parent and child, in the middle of a job; another starts.
        _until(_running, 120)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        workers.enter_context(worker())

        # 3. The broker restarts empty with jobs still queued (their messages are gone).
        _until(_running, 120)
        private_redis.kill()
        private_redis.start()
        jobs += [submission_create_text(user=user, text=f"Après. {n}. {TEXT}")[0] for n in range(2)]

        # Then every job ends done, with one prediction, within the attempts ceiling.
        _until(
            lambda: (
                not Submission.objects.exclude(status=Submission.Status.DONE)
                .exclude(status=Submission.Status.FAILED)
                .exists()
            ),
            240,
        )
    for job in jobs:
        job.refresh_from_db()
        assert job.status == Submission.Status.DONE, (job.pk, job.failure_reason)
        assert Prediction.objects.filter(submission=job).count() == 1
        assert 1 <= job.attempts <= 3
