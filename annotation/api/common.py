"""What the submission, transcript and feedback endpoints share."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.request import Request

from accounts.models import User
from api.schema import ERROR_COMPONENT

from .examples import SUBMISSION_ID

ERROR_REFERENCE: dict[str, Any] = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
TAG_SUBMISSIONS = "submissions"
TAG_TRANSCRIPTS = "transcripts"
TAG_PREDICTIONS = "predictions"

PUBLIC_ID = OpenApiParameter(
    "public_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description="The submission's id.",
    examples=[OpenApiExample("A submission", value=SUBMISSION_ID)],
)
SEGMENT_INDEX = OpenApiParameter(
    "index",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The segment's index in the transcript, from 0.",
    examples=[OpenApiExample("The first segment", value=0)],
)


class Conflict(exceptions.APIException):
    """The object is in a state where this cannot be done (a finished job, a validated text)."""

    status_code = 409
    default_code = "conflict"
    default_detail = gettext_lazy("This cannot be done in the object's current state.")


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"
    default_detail = gettext_lazy("The file is too large.")


def error_response(description: str) -> OpenApiResponse:
    """A status the schema hook does not add by itself (409, 413), in the one error format."""
    return OpenApiResponse(response=ERROR_REFERENCE, description=description)


def request_user(request: Request) -> User:
    """The authenticated person (IsAuthenticated ran before any handler)."""
    user = request.user
    assert isinstance(user, User)
    return user


def field_error(error: DjangoValidationError, field: str) -> serializers.ValidationError:
    """A service's refusal, attached to the field it is about."""
    return serializers.ValidationError({field: error.messages})
