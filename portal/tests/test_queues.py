"""Each job reaches its own queue only: a text job is not copied to the speech or training
queues (which a bare Queue("asr") did, sharing the default routing key)."""

from collections.abc import Iterator

import pytest
import redis
from django.conf import settings

from common import jobs
from portal.celery import app


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.mark.parametrize(
    ("job", "queue"),
    [
        (jobs.CLASSIFY_SUBMISSION, "nlp"),
        (jobs.TRANSCRIBE_SUBMISSION, "asr"),
        ("learning.tasks.retraining_task", "training"),
        (jobs.SHADOW_PREDICT, "shadow"),
    ],
)
def test_a_job_lands_in_its_queue_and_no_other(broker: redis.Redis, job: str, queue: str) -> None:
    for name in jobs.QUEUES:  # as the workers do when they start: every queue bound
        app.amqp.queues[name].bind(app.connection_for_write().default_channel).declare()

    app.send_task(job, args=(1,))

    lengths = {name: broker.llen(name) for name in jobs.QUEUES}
    assert lengths == {name: int(name == queue) for name in jobs.QUEUES}
