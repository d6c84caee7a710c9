"""Submissions: send a text or a recording, list and read them, poll a job, cancel, delete."""

import uuid

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import request_user
from accounts.models import User
from annotation.access import Can, submission_get
from annotation.filters import SubmissionFilter
from annotation.models import Submission
from annotation.selectors import submission_abilities, submission_list_visible
from annotation.serializers import (
    SubmissionAudioCreateSerializer,
    SubmissionListItemSerializer,
    SubmissionSerializer,
    SubmissionStatusSerializer,
    SubmissionTextCreateSerializer,
)
from annotation.services import (
    audio_too_large_message,
    prediction_explain_request,
    submission_cancel,
    submission_create_audio,
    submission_create_text,
    submission_delete,
)
from annotation.workers import submission_worker_warning
from common.rest.errors import Conflict, PayloadTooLarge
from common.rest.schema import error_response
from corpora.access import corpus_get
from corpora.models import Corpus

from . import examples
from .common import EXPLAIN, PUBLIC_ID, TAG_SUBMISSIONS, explain_asked, field_error

CREATE_RESPONSES = {
    201: OpenApiResponse(SubmissionSerializer, description="Created and queued."),
    200: OpenApiResponse(
        SubmissionSerializer, description="This client_token was sent before: the first one."
    ),
}
CORPUS_RULES = (
    "`corpus` (optional) adds it to a corpus where you are the owner, an annotator or a "
    "reviewer: an unknown corpus, or one you are not a member of, is a 400 on `corpus`; a corpus "
    "where you are only a viewer is a 403."
)


def corpus_for_adding(*, user: User, public_id: uuid.UUID | None) -> Corpus | None:
    """The corpus a new submission goes to (ANNOTATE needed), as a field error or a 403."""
    if public_id is None:
        return None
    try:
        return corpus_get(user=user, public_id=public_id, can=Can.ANNOTATE)
    except Http404:
        message = _("No such corpus, or not one you are a member of.")
        raise serializers.ValidationError({"corpus": [message]}) from None
    except DjangoPermissionDenied:
        message = _("Your role in this corpus does not let you add to it.")
        raise exceptions.PermissionDenied(message) from None


def created_or_found(request: Request, submission: Submission, created: bool) -> Response:
    context = {
        "request": request,
        "abilities": submission_abilities(user=request_user(request), submission=submission),
    }
    url = reverse("api:submission-detail", args=[submission.public_id])
    return Response(
        SubmissionSerializer(submission, context=context).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        headers={"Location": request.build_absolute_uri(url)},
    )


@extend_schema_view(
    get=extend_schema(
        operation_id="submissions_list",
        summary="List submissions",
        description=(
            "The submissions you may read, newest first: your own and those of the corpora you "
            "own or are a member of. Cursor pages (`next`, `previous`); filters combine."
        ),
        tags=[TAG_SUBMISSIONS],
        examples=[OpenApiExample("A page", value=examples.LIST_ITEM, response_only=True)],
    ),
    post=extend_schema(
        operation_id="submissions_create_text",
        summary="Submit a text",
        description=(
            "Stores a French text and queues its classification: poll `links.status` until "
            "`finished`, then read `prediction`. An empty or too long text is a 400 on `text`. "
            f"{CORPUS_RULES} Counts against the `uploads` rate."
        ),
        tags=[TAG_SUBMISSIONS],
        request=SubmissionTextCreateSerializer,
        responses=CREATE_RESPONSES,
        examples=[
            OpenApiExample(
                "A text in a corpus",
                value={
                    "text": "Je vous prie d'agréer l'expression de mes salutations distinguées.",
                    "corpus": examples.CORPUS_ID,
                    "client_token": "0b0d6f3e-8a55-4c38-9d51-1f1b8a7e6c11",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Queued",
                value=examples.QUEUED_SUBMISSION,
                response_only=True,
                status_codes=["201", "200"],
            ),
        ],
    ),
)
class SubmissionListView(generics.ListAPIView[Submission]):
    serializer_class = SubmissionListItemSerializer
    filterset_class = SubmissionFilter
    queryset = Submission.objects.none()  # the model, for the schema and the filters

    @property
    def throttle_scope(self) -> str | None:
        # Creating is an expensive write; reading the list is not.
        return "uploads" if self.request.method == "POST" else None

    def get_queryset(self) -> QuerySet[Submission]:
        return submission_list_visible(user=request_user(self.request))

    def post(self, request: Request) -> Response:
        user = request_user(request)
        payload = SubmissionTextCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        corpus = corpus_for_adding(user=user, public_id=data.get("corpus"))
        try:
            submission, created = submission_create_text(
                user=user, text=data["text"], client_token=data.get("client_token"), corpus=corpus
            )
        except DjangoValidationError as error:
            raise field_error(error, "text") from None
        return created_or_found(request, submission, created)


class SubmissionAudioCreateView(APIView):
    parser_classes = [MultiPartParser]
    throttle_scope = "uploads"

    @extend_schema(
        operation_id="submissions_create_audio",
        summary="Submit a recording",
        description=(
            "Stores a recording (multipart/form-data, field `file`) and queues its transcription, "
            "then the register of the transcript: poll `links.status` (its `progress` grows "
            "while the speech model works), then read `links.transcript`. The file is checked by "
            "its content: not audio, damaged, too short or too long is a 400 on `file`; over the "
            "size limit is a 413, answered before the file is read. The recording is kept until "
            f"the transcript is validated, or the retention period ends. `speakers` (`auto`, or "
            "2 to 6) also labels who speaks each segment; any other value is a 400 on it. "
            f"{CORPUS_RULES} Counts against the `uploads` rate."
        ),
        tags=[TAG_SUBMISSIONS],
        request={"multipart/form-data": SubmissionAudioCreateSerializer},
        responses={
            **CREATE_RESPONSES,
            413: error_response("The file is over the size limit (the message says the limit)."),
        },
        examples=[
            OpenApiExample(
                "Queued",
                value=examples.AUDIO_SUBMISSION,
                response_only=True,
                status_codes=["201", "200"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        data = request.data  # parsing the body runs the size-limited upload handler
        if getattr(request._request, "upload_too_large", False):
            raise PayloadTooLarge(audio_too_large_message())
        payload = SubmissionAudioCreateSerializer(data=data)
        payload.is_valid(raise_exception=True)
        fields = payload.validated_data
        corpus = corpus_for_adding(user=user, public_id=fields.get("corpus"))
        upload = fields["file"]
        try:
            submission, created = submission_create_audio(
                user=user,
                file=upload,
                size=upload.size,
                original_name=upload.name or "",
                source=fields["source"],
                client_token=fields.get("client_token"),
                corpus=corpus,
                speakers=fields["speakers"],
            )
        except DjangoValidationError as error:
            if error.code == "too_large":
                raise PayloadTooLarge(error.messages[0]) from None
            field = "speakers" if error.code == "bad_speakers" else "file"
            raise field_error(error, field) from None
        return created_or_found(request, submission, created)


class SubmissionDetailView(APIView):
    @extend_schema(
        operation_id="submissions_retrieve",
        summary="One submission",
        description=(
            "Everything about a submission: its state, text (for audio: the current transcript), "
            "corpus, author, the register shown (`prediction`, null until done), what you may do "
            "with it (`permissions`) and links to its status, transcript and predictions. "
            "`author.name` is the author's display name, or their e-mail address when they have "
            "none; only the author and the people of its corpus can read a submission. "
            "`prediction.explanations` says whether its deciding words are computed (texts "
            "imported into a corpus are classified without them): `explain=1` computes them, "
            "and the predictions link shows them."
        ),
        tags=[TAG_SUBMISSIONS],
        parameters=[PUBLIC_ID, EXPLAIN],
        responses={200: SubmissionSerializer},
        examples=[OpenApiExample("Done", value=examples.SUBMISSION, response_only=True)],
    )
    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.VIEW)
        abilities = submission_abilities(user=user, submission=submission)
        explaining: set[int] = set()
        prediction = submission.current_prediction
        if (
            explain_asked(request.query_params)
            and prediction is not None
            and prediction_explain_request(prediction=prediction)
        ):
            explaining.add(prediction.pk)
        context = {"request": request, "abilities": abilities, "explaining": explaining}
        return Response(SubmissionSerializer(submission, context=context).data)

    @extend_schema(
        operation_id="submissions_destroy",
        summary="Delete a submission",
        description=(
            "Deletes the submission with its recording, transcript, predictions and feedback. "
            "Its author or the owner of its corpus (403 for the corpus's other members)."
        ),
        tags=[TAG_SUBMISSIONS],
        parameters=[PUBLIC_ID],
        responses={204: OpenApiResponse(description="Deleted.")},
        examples=[
            OpenApiExample(
                "A corpus member who is not its owner",
                value={
                    "status": 403,
                    "code": "permission_denied",
                    "detail": "You do not have permission to perform this action.",
                    "errors": {},
                },
                response_only=True,
                status_codes=["403"],
            )
        ],
    )
    def delete(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.MANAGE)
        submission_delete(submission=submission, acting_user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubmissionStatusView(APIView):
    @extend_schema(
        operation_id="submissions_status",
        summary="Poll a job",
        description=(
            "What a client polls while the job runs, cheaply: its state, progress (0 to 1, for "
            "transcriptions), the failure reason and, once done, the register shown. Stop when "
            "`finished` is true."
        ),
        tags=[TAG_SUBMISSIONS],
        parameters=[PUBLIC_ID],
        responses={200: SubmissionStatusSerializer},
        examples=[
            OpenApiExample("Transcribing", value=examples.STATUS_TRANSCRIBING, response_only=True),
            OpenApiExample("Done", value=examples.STATUS_DONE, response_only=True),
        ],
    )
    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.VIEW)
        warning = submission_worker_warning(submission=submission, user=user)
        context = {"worker_warning": warning}
        return Response(SubmissionStatusSerializer(submission, context=context).data)


class SubmissionCancelView(APIView):
    @extend_schema(
        operation_id="submissions_cancel",
        summary="Cancel a job",
        description=(
            "Stops a job that has not finished (a transcription stops at its next progress "
            "report) and deletes its recording. A finished job is a 409. Its author or the owner "
            "of its corpus."
        ),
        tags=[TAG_SUBMISSIONS],
        parameters=[PUBLIC_ID],
        request=None,
        responses={
            200: OpenApiResponse(SubmissionStatusSerializer, description="Cancelled."),
            409: error_response("The job had already finished."),
        },
        examples=[OpenApiExample("Cancelled", value=examples.STATUS_CANCELLED, response_only=True)],
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.MANAGE)
        if not submission_cancel(submission=submission, acting_user=user):
            raise Conflict(_("This job has already finished; there is nothing to cancel."))
        submission.refresh_from_db()
        return Response(SubmissionStatusSerializer(submission).data)
