"""Times every request for the ``parlure_http_request_duration_seconds`` histogram."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .metrics import request_observe


class RequestMetricsMiddleware:
    """First in MIDDLEWARE: the time covers the other middleware, the view and the template."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        request_observe(request, response, time.perf_counter() - started)
        return response
