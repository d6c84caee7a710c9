"""What the submission, transcript and feedback endpoints share."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

from .examples import SUBMISSION_ID

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


def field_error(error: DjangoValidationError, field: str) -> serializers.ValidationError:
    """A service's refusal, attached to the field it is about."""
    return serializers.ValidationError({field: error.messages})
