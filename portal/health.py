"""``/healthz/`` and ``/readyz/``: is this web process up, and is the portal ready for work?

``/healthz/`` is for container health checks, Kubernetes probes and load balancers: no login, no
session, no template, no cache. 200 ``{"status": "ok"}`` after a ``SELECT 1`` on the default
database, 503 when the database cannot be reached (the process is up but cannot serve pages). A
broker outage does not fail it: pages still answer, with a clear 503 for what needs a worker.

``/readyz/`` is the operator's view: the database, the broker (a connection attempt, bounded to a
second) and the workers that answer a ping (half a second). 503 when the database or the broker
is unreachable; no worker is reported (jobs wait) but does not fail it. Slower than
``/healthz/`` by the ping: for monitoring and deployment checks, not for every probe.
"""

import logging
from typing import Any

from django.db import Error as DatabaseError
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: the database is unreachable: %s", error)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def _database_state() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: the database is unreachable: %s", error)
        return "unreachable"
    return "ok"


def _broker_state() -> str:
    from portal.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=1)
    except Exception as error:  # kombu raises the transport's own errors
        logger.warning("Readiness: the broker is unreachable: %s", error)
        return "unreachable"
    return "ok"


def _workers_answering() -> int | None:
    """How many workers answered a ping; None when the broker cannot broadcast (file system)."""
    from portal.celery import app

    try:
        return len(app.control.ping(timeout=0.5) or [])
    except Exception as error:
        logger.info("Readiness: no worker ping: %s", error)
        return None


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    body: dict[str, Any] = {"database": _database_state(), "broker": _broker_state()}
    body["workers"] = _workers_answering() if body["broker"] == "ok" else None
    ready = body["database"] == "ok" and body["broker"] == "ok"
    body["status"] = "ok" if ready else "unavailable"
    return JsonResponse(body, status=200 if ready else 503)
