"""Endpoints here take JSON (from the page's script) or a plain form (without script)."""

import json
from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


class BadPayload(ValueError):
    """The body is not what the endpoint takes; answered with a 400 and a clear message."""


def is_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json"


def wants_json(request: HttpRequest) -> bool:
    return is_json(request) or "application/json" in request.headers.get("Accept", "")


def request_data(request: HttpRequest) -> dict[str, Any]:
    if not is_json(request):
        return request.POST.dict()
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        raise BadPayload from None
    if not isinstance(data, dict):
        raise BadPayload
    return data


def optional_index(data: dict[str, Any], key: str) -> int | None:
    """A non-negative integer, or None when absent or empty; BadPayload otherwise."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadPayload
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadPayload from None
    if number < 0 or (isinstance(value, float) and value != number):
        raise BadPayload
    return number


def text_field(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadPayload
    return value


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where a plain form goes back to: its ``next`` field, if it stays on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
