"""A recording sent while it is made: start it, send its chunks in order, finish it.

The page's recorder sends each MediaRecorder chunk as it comes, so that the recording is
transcribed while the person speaks and the transcript arrives soon after they stop.
"""

import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import request_user
from annotation.access import recording_get
from annotation.serializers import (
    RecordingChunkSerializer,
    RecordingStartSerializer,
    SubmissionSerializer,
)
from annotation.services import (
    RecordingChunkRefused,
    recording_chunk_append,
    recording_finish,
    recording_start,
)
from common.rest.errors import PayloadTooLarge, error_body
from common.rest.schema import error_response

from . import examples
from .common import PUBLIC_ID, TAG_SUBMISSIONS, field_error
from .submissions import CORPUS_RULES, CREATE_RESPONSES, corpus_for_adding, created_or_found

CHUNK_INDEX = OpenApiParameter(
    "index", OpenApiTypes.INT, OpenApiParameter.PATH, description="The chunk's index, from 0."
)


class RecordingStartView(APIView):
    throttle_scope = "uploads"

    @extend_schema(
        operation_id="recordings_start",
        summary="Start a recording sent while it is made",
        description=(
            "Creates an audio submission in the `recording` state, with no audio yet: send its "
            "chunks in order (`PUT …/recording/chunks/<n>/`), then finish it. Its segments "
            "appear in `live_segments` of the status while it is recorded. A recording that "
            f"receives nothing for {settings.PARLURE_RECORDING_ABANDONED_MINUTES:g} minutes is "
            f"expired, its audio deleted. {CORPUS_RULES} Counts against the `uploads` rate."
        ),
        tags=[TAG_SUBMISSIONS],
        request=RecordingStartSerializer,
        responses=CREATE_RESPONSES,
        examples=[
            OpenApiExample(
                "A recording, speakers found automatically",
                value={"client_token": "5d3c2a1b-7e4f-4a2b-9c8d-0e1f2a3b4c5d", "speakers": "auto"},
                request_only=True,
            ),
            OpenApiExample(
                "Recording",
                value=examples.RECORDING_SUBMISSION,
                response_only=True,
                status_codes=["201", "200"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        payload = RecordingStartSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = payload.validated_data
        corpus = corpus_for_adding(user=user, public_id=fields.get("corpus"))
        try:
            submission, created = recording_start(
                user=user,
                client_token=fields.get("client_token"),
                speakers=fields["speakers"],
                corpus=corpus,
            )
        except DjangoValidationError as error:
            raise field_error(error, "speakers") from None
        response = created_or_found(request, submission, created)
        response.data["recording"] = {
            "chunks": reverse("api:recording-chunk", args=[submission.public_id, 0])[:-2],
            "finish": reverse("api:recording-finish", args=[submission.public_id]),
        }
        return response


class RecordingChunkView(APIView):
    @extend_schema(
        operation_id="recordings_chunk",
        summary="Send the next chunk of a recording",
        description=(
            "The raw bytes of chunk `index`, as the recorder gave them (the chunks joined in "
            "order from the first make the file). A chunk stored already is answered 200 with "
            "`stored: false`, and nothing changes; a gap is a 409 whose `expected` says which "
            "chunk comes next; a finished recording takes no more (409, `expected` null). Over "
            "the size or duration limit is a 413 or a 400, and the chunk is not stored. Only "
            "the recording's author may send it (404 for anyone else)."
        ),
        tags=[TAG_SUBMISSIONS],
        parameters=[PUBLIC_ID, CHUNK_INDEX],
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={
            200: RecordingChunkSerializer,
            409: error_response("Not the chunk expected, or the recording is finished."),
            413: error_response("Over the size limit."),
        },
    )
    def put(self, request: Request, public_id: uuid.UUID, index: int) -> Response:
        submission = recording_get(user=request_user(request), public_id=public_id)
        try:
            data = request._request.body
        except RequestDataTooBig:
            raise PayloadTooLarge(_("A chunk this large cannot be received.")) from None
        try:
            chunk = recording_chunk_append(submission=submission, index=index, data=data)
        except RecordingChunkRefused as refused:
            return _conflict(refused.expected)
        except DjangoValidationError as error:
            if error.code == "too_large":
                raise PayloadTooLarge(error.messages[0]) from None
            raise field_error(error, "chunk") from None
        answer = RecordingChunkSerializer(
            {
                "next_chunk": chunk.next_chunk,
                "stored": chunk.stored,
                "duration_s": chunk.duration_s,
                "size_bytes": chunk.size_bytes,
            }
        )
        return Response(answer.data)


def _conflict(expected: int | None) -> Response:
    """409 in the one error format, with the chunk expected next (null: the recording is
    over), so that the recorder can send again from there."""
    if expected is None:
        detail = _("This recording is finished: it takes no more audio.")
    else:
        detail = _("Chunk %(expected)s is expected next.") % {"expected": expected}
    body = {**error_body(409, "unexpected_chunk", detail), "expected": expected}
    return Response(body, status=status.HTTP_409_CONFLICT)


class RecordingFinishView(APIView):
    @extend_schema(
        operation_id="recordings_finish",
        summary="Finish a recording",
        description=(
            "The recording is complete: it is stored with its duration and queued for "
            "transcription (only the audio not decoded yet is left to decode). Sending it again "
            "changes nothing. A recording too short or without audio is deleted: 400, with the "
            "reason."
        ),
        tags=[TAG_SUBMISSIONS],
        parameters=[PUBLIC_ID],
        request=None,
        responses={200: OpenApiResponse(SubmissionSerializer, description="Queued.")},
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        submission = recording_get(user=request_user(request), public_id=public_id)
        try:
            submission = recording_finish(submission=submission)
        except DjangoValidationError as error:
            raise field_error(error, "recording") from None
        return created_or_found(request, submission, False)
