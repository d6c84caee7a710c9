"""DRF's throttles, failing open: when the cache that holds their counters is down, requests pass.

The counters live in Redis when ``CACHE_URL`` names it. Without this, a Redis outage turned every
API request into a 500 although nothing the request needed was down. Letting requests through for
the length of an outage is the lesser harm: the rates protect the workers from floods, and the
broker (the same Redis, usually) refuses new jobs by itself meanwhile.
"""

import logging
from typing import Any

from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)


class _FailOpen:
    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return bool(super().allow_request(request, view))  # type: ignore[misc]
        except (RedisError, OSError) as error:
            logger.warning("Throttling skipped: its cache is unreachable (%s)", error)
            return True


class UserRateThrottle(_FailOpen, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(_FailOpen, throttling.AnonRateThrottle):
    pass


class ScopedRateThrottle(_FailOpen, throttling.ScopedRateThrottle):
    pass
