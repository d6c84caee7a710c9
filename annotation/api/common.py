"""What the submission, transcript and feedback endpoints share."""

from collections.abc import Mapping

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
WORD_INDEX = OpenApiParameter(
    "word_index",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The word's index in the segment's `words`, from 0.",
    examples=[OpenApiExample("The second word", value=1)],
)
SPEAKER_LABEL = OpenApiParameter(
    "label",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description='A speaker label of the transcript, as its segments\' `speaker` gives it ("S1").',
    examples=[OpenApiExample("The first speaker", value="S1")],
)
REVISION_VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The version the correction made (its `version` in the history).",
    examples=[OpenApiExample("The first correction", value=2)],
)

EXPLAIN = OpenApiParameter(
    "explain",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    required=False,
    description=(
        "Ask for the deciding words (each sentence's `evidence`). Texts classified in bulk (a "
        "corpus import) are stored without them, and nothing is computed unless asked: with "
        "`explain=1`, a prediction whose `explanations` is `not_computed` is queued for the "
        "model that made it, and answers `computing` (its `evidence` still empty); ask again "
        "until it answers `computed`. Without it, nothing is computed. `unavailable`: the model "
        "that made the prediction can no longer be loaded, and no other model explains it."
    ),
    examples=[OpenApiExample("Compute the deciding words if missing", value=True)],
)

EXPLAIN_TRUE = ("1", "true", "yes", "on")


def explain_asked(query: Mapping[str, str]) -> bool:
    """Whether the query string asks for explanations (``?explain=1``)."""
    return str(query.get("explain", "")).strip().lower() in EXPLAIN_TRUE


def field_error(error: DjangoValidationError, field: str) -> serializers.ValidationError:
    """A service's refusal, attached to the field it is about."""
    return serializers.ValidationError({field: error.messages})
