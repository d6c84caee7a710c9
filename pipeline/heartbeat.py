"""A running job's sign of life, written by a thread of the worker process that runs it.

A job's model call may last minutes without a chance to report progress; the thread writes
``heartbeat_at`` every PARLURE_JOB_HEARTBEAT_SECONDS meanwhile. When the worker dies whole, the
writes stop, and the reconciler sends the job again once its lease has run out.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection

from annotation.services import submission_heartbeat

logger = logging.getLogger(__name__)


@contextmanager
def heartbeat(*, submission_id: int, worker: str) -> Iterator[None]:
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.PARLURE_JOB_HEARTBEAT_SECONDS):
                if not submission_heartbeat(submission_id=submission_id, worker=worker):
                    return  # finished, cancelled or taken over: nothing more to say
        except DatabaseError as error:  # the job itself will meet the same error and retry
            logger.warning("heartbeat of submission %s: %s", submission_id, error)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{submission_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
