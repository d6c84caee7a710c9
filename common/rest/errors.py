"""One error format for every API response that is not a success.

    {"status": 400, "code": "invalid", "detail": "A message for people.",
     "errors": {"field": ["What is wrong with it."]}}

``errors`` is empty unless fields were rejected; ``non_field_errors`` holds what concerns the
request as a whole. The handler also turns the ``ValidationError`` that services raise into a 400,
so the rules are written once, in the service, for pages and API alike.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"


class Conflict(exceptions.APIException):
    """The object is in a state where this cannot be done (a finished job, a validated text)."""

    status_code = 409
    default_code = "conflict"
    default_detail = gettext_lazy("This cannot be done in the object's current state.")


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"
    default_detail = gettext_lazy("The file is too large.")


def error_body(
    status_code: int, code: str, detail: str, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"status": status_code, "code": code, "detail": detail, "errors": errors or {}}


def _field_errors(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail, flattened to field → messages (nested fields as a.b)."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    flat: dict[str, list[str]] = {}
    for field, value in detail.items():
        if isinstance(value, dict):
            for sub, messages in _field_errors(value).items():
                flat[f"{field}.{sub}"] = messages
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                for sub, messages in _field_errors(item).items():
                    flat[f"{field}.{index}.{sub}"] = messages
        elif isinstance(value, list):
            flat[field] = [str(item) for item in value]
        else:
            flat[field] = [str(value)]
    return flat


def _from_django_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handler answers (in this format under /api/)
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        messages = errors.get("non_field_errors")
        detail = messages[0] if messages and len(errors) == 1 else _("Some fields are not valid.")
        response.data = error_body(response.status_code, "invalid", detail, errors)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(response.status_code, str(code), str(exc.detail))
    return response


def _json_error(status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(error_body(status_code, code, detail), status=status_code)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest) -> JsonResponse:
    return _json_error(status.HTTP_404_NOT_FOUND, "not_found", _("No such API endpoint."))


def server_error(request: HttpRequest) -> JsonResponse:
    return _json_error(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "server_error",
        _("Something went wrong on our side. The team has been told."),
    )
