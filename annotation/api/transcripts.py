"""Transcripts of recordings: read, correct a segment, validate, and the corrections' history."""

import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import request_user
from annotation.access import Can, submission_get
from annotation.models import Segment, Transcript, TranscriptRevision
from annotation.selectors import (
    segment_get,
    transcript_get,
    transcript_revision_get,
    transcript_revision_list,
    transcript_segments,
)
from annotation.serializers import (
    SegmentCorrectedSerializer,
    SegmentCorrectionSerializer,
    SegmentSpeakerSerializer,
    SpeakerRenameSerializer,
    TranscriptRevisionSerializer,
    TranscriptSerializer,
    WordAcceptSerializer,
)
from annotation.services import (
    segment_speaker_set,
    segment_word_accept,
    transcript_correct,
    transcript_revision_revert,
    transcript_speaker_rename,
    transcript_validate,
)
from annotation.transcript_exports import (
    EXPORT_FORMATS,
    transcript_export,
    transcript_export_disposition,
)
from common.rest.errors import Conflict
from common.rest.negotiation import FirstRendererNegotiation
from common.rest.schema import error_response

from . import examples
from .common import (
    PUBLIC_ID,
    REVISION_VERSION,
    SEGMENT_INDEX,
    SPEAKER_LABEL,
    TAG_TRANSCRIPTS,
    WORD_INDEX,
    field_error,
)

# The service's refusals that depend on the transcript's state, not on the text sent.
STATE_CONFLICTS = {"validated", "not_done"}


@contextmanager
def _refusals_as_errors(
    field: str, not_found: Collection[str] = (), conflicts: Collection[str] = ()
) -> Iterator[None]:
    """A transcript service's refusal as the API's error: the transcript's state (or a code in
    ``conflicts``) is a 409, a code in ``not_found`` a 404, anything else a 400 on ``field``."""
    try:
        yield
    except DjangoValidationError as error:
        if error.code in STATE_CONFLICTS or error.code in conflicts:
            raise Conflict(error.messages[0]) from None
        if error.code in not_found:
            raise NotFound(error.messages[0]) from None
        raise field_error(error, field) from None


def _segment_response(segment: Segment) -> Response:
    """The segment as a change left it, with its register."""
    saved = Segment.objects.select_related("current_prediction", "transcript").get(pk=segment.pk)
    return Response(SegmentCorrectedSerializer(saved).data)


def _transcript_response(request: Request, transcript: Transcript) -> Response:
    context: dict[str, Any] = {
        "request": request,
        "segments": transcript_segments(transcript=transcript),
    }
    return Response(TranscriptSerializer(transcript, context=context).data)


class TranscriptView(APIView):
    @extend_schema(
        operation_id="transcript_retrieve",
        summary="A recording's transcript",
        description=(
            "The transcript of an audio submission, segment by segment: times, text, word "
            "timings, whether a person corrected it, and each segment's register. `version` "
            "grows with each correction; a segment's `classified_version` catches up once its "
            "new text is classified. 404 for a text submission, and for a recording not "
            "transcribed yet."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID],
        responses={200: TranscriptSerializer},
        examples=[OpenApiExample("Transcribed", value=examples.TRANSCRIPT, response_only=True)],
    )
    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        submission = submission_get(user=request_user(request), public_id=public_id, can=Can.VIEW)
        return _transcript_response(request, transcript_get(submission=submission))


class SegmentView(APIView):
    @extend_schema(
        operation_id="transcript_segment_correct",
        summary="Correct a segment",
        description=(
            "Replaces one segment's text, records the correction (who, when, before, after) and "
            "classifies the new version again. Sending the same text again changes nothing. An "
            "empty or too long text is a 400 on `text`; a validated transcript, or a job not "
            "done yet, is a 409. Needs the annotator role (or more) in the submission's corpus."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID, SEGMENT_INDEX],
        request=SegmentCorrectionSerializer,
        responses={
            200: OpenApiResponse(
                SegmentCorrectedSerializer,
                description="The segment; its register is the previous one until reclassified.",
            ),
            409: error_response("The transcript is validated, or its job is not done."),
        },
        examples=[
            OpenApiExample("A correction", value={"text": "Bonjour à toutes,"}, request_only=True),
            OpenApiExample("Corrected", value=examples.CORRECTED_SEGMENT, response_only=True),
        ],
    )
    def patch(self, request: Request, public_id: uuid.UUID, index: int) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.ANNOTATE)
        segment = segment_get(transcript=transcript_get(submission=submission), index=index)
        payload = SegmentCorrectionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        text = payload.validated_data["text"]
        with _refusals_as_errors("text"):
            transcript_correct(segment=segment, text=text, acting_user=user)
        return _segment_response(segment)


class SegmentSpeakerView(APIView):
    @extend_schema(
        operation_id="transcript_segment_speaker",
        summary="Say who speaks a segment",
        description=(
            "Gives the segment a speaker: a label the transcript already has, a new one (`S` "
            'and a number, such as `"S3"`), or empty for nobody. The text, the version and the '
            "register do not change. A malformed label is a 400 on `speaker`; a validated "
            "transcript, or a job not done yet, is a 409. Needs the annotator role (or more) in "
            "the submission's corpus."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID, SEGMENT_INDEX],
        request=SegmentSpeakerSerializer,
        responses={
            200: OpenApiResponse(SegmentCorrectedSerializer, description="The segment."),
            409: error_response("The transcript is validated, or its job is not done."),
        },
        examples=[
            OpenApiExample("Another speaker", value={"speaker": "S2"}, request_only=True),
            OpenApiExample(
                "Reassigned",
                value={
                    **examples.SEGMENT,
                    "speaker": "S2",
                    "speaker_name": "S2",
                    "transcript_version": 1,
                },
                response_only=True,
            ),
        ],
    )
    def put(self, request: Request, public_id: uuid.UUID, index: int) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.ANNOTATE)
        segment = segment_get(transcript=transcript_get(submission=submission), index=index)
        payload = SegmentSpeakerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with _refusals_as_errors("speaker"):
            segment_speaker_set(
                segment=segment, speaker=payload.validated_data["speaker"], acting_user=user
            )
        return _segment_response(segment)


class SegmentWordAcceptView(APIView):
    @extend_schema(
        operation_id="transcript_segment_word_accept",
        summary="Accept an uncertain word",
        description=(
            "Says that a word the speech model was unsure of (`uncertain` true) is right: it is "
            "no longer uncertain, and keeps its `confidence`. Send the word as shown: when the "
            "segment's word at that index is another one (the segment was corrected meanwhile), "
            "nothing changes and the answer is a 409. The text does not change, so this is not a "
            "correction: no revision, the same version, nothing classified again. Accepting a "
            "word again changes nothing. An index the segment's words do not have is a 400 on "
            "`word_index`; a validated transcript, or a job not done yet, is a 409. Needs the "
            "annotator role (or more) in the submission's corpus."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID, SEGMENT_INDEX, WORD_INDEX],
        request=WordAcceptSerializer,
        responses={
            200: OpenApiResponse(SegmentCorrectedSerializer, description="The segment."),
            409: error_response(
                "The word changed since, or the transcript is validated or its job not done."
            ),
        },
        examples=[
            OpenApiExample("The word shown", value={"word": "à"}, request_only=True),
            OpenApiExample(
                "Accepted",
                value={
                    **examples.SEGMENT,
                    "words": [{**word, "uncertain": False} for word in examples.SEGMENT["words"]],
                    "transcript_version": 1,
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request, public_id: uuid.UUID, index: int, word_index: int) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.ANNOTATE)
        segment = segment_get(transcript=transcript_get(submission=submission), index=index)
        payload = WordAcceptSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with _refusals_as_errors("word_index", conflicts={"word_changed"}):
            segment_word_accept(
                segment=segment,
                index=word_index,
                word=payload.validated_data["word"],
                acting_user=user,
            )
        return _segment_response(segment)


class SpeakerView(APIView):
    @extend_schema(
        operation_id="transcript_speaker_rename",
        summary="Name a speaker",
        description=(
            'Names a speaker label ("S1") for the whole transcript: every segment of that '
            "speaker shows the name, in the page, the API and the exports. An empty name takes "
            "it back (the label shows again). A label no segment has is a 404; a name over 60 "
            "characters is a 400 on `name`; a validated transcript, or a job not done yet, is a "
            "409. Needs the annotator role (or more) in the submission's corpus."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID, SPEAKER_LABEL],
        request=SpeakerRenameSerializer,
        responses={
            200: OpenApiResponse(TranscriptSerializer, description="The transcript."),
            409: error_response("The transcript is validated, or its job is not done."),
        },
        examples=[
            OpenApiExample("A name", value={"name": "Marie"}, request_only=True),
            OpenApiExample("Named", value=examples.TRANSCRIPT, response_only=True),
        ],
    )
    def put(self, request: Request, public_id: uuid.UUID, label: str) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.ANNOTATE)
        transcript = transcript_get(submission=submission)
        payload = SpeakerRenameSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with _refusals_as_errors("name", not_found={"unknown_speaker", "bad_speaker"}):
            transcript = transcript_speaker_rename(
                transcript=transcript,
                label=label,
                name=payload.validated_data["name"],
                acting_user=user,
            )
        return _transcript_response(request, transcript)


class TranscriptValidateView(APIView):
    @extend_schema(
        operation_id="transcript_validate",
        summary="Validate a transcript",
        description=(
            "Marks the transcript correct: it can no longer be changed, and its recording is "
            "deleted at once. Validating again changes nothing. Needs the reviewer role in the "
            "submission's corpus (or to be its author or the corpus's owner)."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID],
        request=None,
        responses={200: TranscriptSerializer},
        examples=[
            OpenApiExample(
                "Validated",
                value={**examples.TRANSCRIPT, "validated_at": "2025-03-14T09:45:00+01:00"},
                response_only=True,
            )
        ],
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.REVIEW)
        transcript = transcript_validate(
            transcript=transcript_get(submission=submission), acting_user=user
        )
        return _transcript_response(request, transcript)


@extend_schema_view(
    get=extend_schema(
        operation_id="transcript_revisions_list",
        summary="Corrections of a transcript",
        description=(
            "Every correction of the transcript, newest first: the version it made, the segment, "
            "the text before and after, who and when. Cursor pages."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID],
        examples=[OpenApiExample("A correction", value=examples.REVISION, response_only=True)],
    )
)
class TranscriptRevisionListView(generics.ListAPIView[TranscriptRevision]):
    serializer_class = TranscriptRevisionSerializer
    queryset = TranscriptRevision.objects.none()  # the model, for the schema

    def get_queryset(self) -> QuerySet[TranscriptRevision]:
        submission = submission_get(
            user=request_user(self.request), public_id=self.kwargs["public_id"], can=Can.VIEW
        )
        return transcript_revision_list(transcript=transcript_get(submission=submission))


class TranscriptExportQuerySerializer(serializers.Serializer[None]):
    file_format = serializers.ChoiceField(
        choices=list(EXPORT_FORMATS),
        help_text="txt (one segment per line), srt or vtt (subtitles), json (segments and words).",
    )


class TranscriptExportView(APIView):
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        operation_id="transcript_export",
        summary="Download a transcript",
        description=(
            "The current transcript of a recording as a file: `file_format=txt` (one segment "
            "per line), `srt` or `vtt` (subtitles with the segments' times) or `json` (segments, "
            "times and words). The same files as the transcript page's export buttons. Anyone "
            "who may read the submission may download it; 404 for a text submission, and for a "
            "recording not transcribed yet."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID, TranscriptExportQuerySerializer],
        responses={
            (200, media_type.split(";")[0]): OpenApiResponse(
                response=OpenApiTypes.STR, description=f"The transcript as {fmt.upper()}."
            )
            for fmt, media_type in EXPORT_FORMATS.items()
        },
        examples=[
            OpenApiExample(
                "SRT",
                value="1\n00:00:00,000 --> 00:00:04,000\nBonjour madame, je voudrais savoir…\n",
                response_only=True,
                media_type="application/x-subrip",
            ),
        ],
    )
    def get(self, request: Request, public_id: uuid.UUID) -> HttpResponse:
        submission = submission_get(user=request_user(request), public_id=public_id, can=Can.VIEW)
        transcript_get(submission=submission)  # 404 without a transcript
        query = TranscriptExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        file_format = query.validated_data["file_format"]
        response = HttpResponse(
            transcript_export(submission, file_format), content_type=EXPORT_FORMATS[file_format]
        )
        response["Content-Disposition"] = transcript_export_disposition(submission, file_format)
        return response


class TranscriptRevisionRevertView(APIView):
    @extend_schema(
        operation_id="transcript_revision_revert",
        summary="Undo a correction",
        description=(
            "Gives the segment back the text it had before this correction. The undo is itself "
            "a correction (a new version, classified again), so it shows in the history and can "
            "be undone too. A 409 when the segment was corrected again since (undo the later "
            "correction first), or when the transcript is validated or its job not done. Needs "
            "the annotator role (or more) in the submission's corpus."
        ),
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID, REVISION_VERSION],
        request=None,
        responses={
            200: OpenApiResponse(TranscriptRevisionSerializer, description="The new correction."),
            409: error_response("The segment changed since, or the transcript is closed."),
        },
        examples=[
            OpenApiExample(
                "Undone",
                value={
                    **examples.REVISION,
                    "version": 3,
                    "before": examples.REVISION["after"],
                    "after": examples.REVISION["before"],
                },
                response_only=True,
            )
        ],
    )
    def post(self, request: Request, public_id: uuid.UUID, version: int) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.ANNOTATE)
        revision = transcript_revision_get(
            transcript=transcript_get(submission=submission), version=version
        )
        try:
            undo = transcript_revision_revert(revision=revision, acting_user=user)
        except DjangoValidationError as error:
            raise Conflict(error.messages[0]) from None
        context = {"request": request}
        return Response(TranscriptRevisionSerializer(undo, context=context).data)
