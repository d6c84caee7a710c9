"""Fixtures for the annotation tests that need a real Celery worker process.

The worker runs on the real Redis broker against this test run's database, so that a test sees
what a person would: a job queued by a request, done by another process. test_worker.py uses the
nlp queue alone; the browser test needs speech too (asr,nlp). Also: French speech to upload.
"""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from parlure_ml.speech.synth import SHORT_FRENCH, synthesize


@contextmanager
def celery_worker(
    queues: str, broker_url: str | None = None, env_extra: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A worker process on `queues`, connected to this test run's database and broker."""
    broker_url = broker_url or settings.CELERY_BROKER_URL
    if broker_url == settings.CELERY_BROKER_URL:
        redis.Redis.from_url(broker_url).flushdb()  # nothing left from earlier runs
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        # Recordings are written by the web process and read by the worker: one folder for both.
        "PARLURE_AUDIO_ROOT": str(settings.PARLURE_AUDIO_ROOT),
        **(env_extra or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--queues",
            queues,
            "--concurrency",
            "1",
            "--hostname",
            f"test-{uuid.uuid4().hex[:8]}@%h",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:  # a chaos test may have killed it already
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[bytes]]:
    """A worker on the nlp queue (register classification)."""
    with celery_worker("nlp") as process:
        yield process


@pytest.fixture
def speech_worker() -> Iterator[subprocess.Popen[bytes]]:
    """A worker on both queues: transcription (asr), then the register of the transcript (nlp)."""
    with celery_worker("asr,nlp") as process:
        yield process


@pytest.fixture(scope="session")
def french_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Robotic French speech (espeak-ng): good for behaviour, not for accuracy."""
    return synthesize(SHORT_FRENCH, tmp_path_factory.mktemp("audio") / "bonjour.wav")
