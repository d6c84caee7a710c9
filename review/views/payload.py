"""Reading the review pages' plain forms (the page's script uses the API instead)."""

from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


class BadPayload(ValueError):
    """The body is not what the endpoint takes; answered with a 400 and a clear message."""


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
