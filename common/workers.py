"""Which Celery workers are alive, and which queues each one consumes.

One broadcast to the workers, cached for WORKER_HEALTH_TTL seconds, shared by the job pages
(annotation.workers), /metrics and /suivi/ (monitoring). It knows no app's rows.
"""

import datetime
import logging
from dataclasses import dataclass, field

from celery import current_app
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

# One broadcast to the workers costs this long (Celery waits for every answer until the timeout),
# so its result is shared by every page and scrape for WORKER_HEALTH_TTL seconds.
WORKER_PING_TIMEOUT = 1.0
WORKER_HEALTH_TTL = 15
WORKER_HEALTH_CACHE_KEY = "monitoring:worker-health"


def queue_names() -> list[str]:
    """The queues the Celery configuration declares (portal/celery.py)."""
    return [queue.name for queue in current_app.conf.task_queues or ()]


# --- Workers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerHealth:
    """Which workers answered the last broadcast, and the queues each one consumes."""

    workers: dict[str, list[str]]
    checked_at: datetime.datetime
    error: str = ""
    queues: list[str] = field(default_factory=list)

    def consumers(self, queue: str) -> list[str]:
        return sorted(host for host, consumed in self.workers.items() if queue in consumed)

    def by_queue(self) -> dict[str, list[str]]:
        return {queue: self.consumers(queue) for queue in self.queues}


def workers_ask(timeout: float) -> dict[str, list[str]]:
    """The boundary with the workers: one broadcast, answered only by live workers.

    ``inspect().active_queues()`` is Celery's ping that also says which queues each worker takes
    jobs from: an answer means alive, and its queues say whether a job's queue is served.
    """
    replies = current_app.control.inspect(timeout=timeout).active_queues() or {}
    return {
        host: sorted(str(queue.get("name", "")) for queue in consumed or [])
        for host, consumed in replies.items()
    }


def worker_health(*, refresh: bool = False) -> WorkerHealth:
    """The workers that answer now, cached WORKER_HEALTH_TTL seconds (a failure is cached too)."""
    if not refresh:
        cached = cache.get(WORKER_HEALTH_CACHE_KEY)
        if isinstance(cached, WorkerHealth):
            return cached
    try:
        health = WorkerHealth(
            workers=workers_ask(WORKER_PING_TIMEOUT),
            checked_at=timezone.now(),
            queues=queue_names(),
        )
    except Exception as error:  # the broker is down or refused: no worker can be reached either
        logger.warning("worker health: the broadcast failed: %s", error)
        health = WorkerHealth(
            workers={}, checked_at=timezone.now(), error=str(error), queues=queue_names()
        )
    cache.set(WORKER_HEALTH_CACHE_KEY, health, WORKER_HEALTH_TTL)
    return health
