"""``/healthz/``: is this web process up, and can it reach its database?

For container health checks, Kubernetes probes and load balancers: no login, no session, no
template, no cache. 200 ``{"status": "ok"}`` after a ``SELECT 1`` on the default database, 503 when
the database cannot be reached (the process is up but cannot serve pages).
"""

import logging

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
