"""Putting one's own submissions in a corpus, and taking a submission out of it."""

import uuid

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import request_user
from annotation.access import submission_get
from corpora.access import Can, corpus_get
from corpora.selectors import submissions_by_public_ids
from corpora.serializers import SubmissionsAddedSerializer, SubmissionsAddSerializer
from corpora.services.corpora import (
    corpus_submission_remove,
    corpus_submissions_add,
    submissions_not_yours_error,
)

from .common import CORPUS_ID, CORPUS_PATH, SUBMISSION_ID, TAG


class CorpusSubmissionsView(APIView):
    @extend_schema(
        operation_id="corpora_submissions_add",
        summary="Add my submissions to a corpus",
        description=(
            "Puts some of your own submissions in the corpus: all of them, or none if one is "
            "refused. Each must be yours and in no corpus (or already in this one, which changes "
            "nothing); one in another corpus is refused, not moved. Annotators, reviewers and the "
            "owner. To list a corpus's submissions: `GET /api/v1/submissions/?corpus=<id>`."
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH],
        request=SubmissionsAddSerializer,
        responses={200: SubmissionsAddedSerializer},
        examples=[
            OpenApiExample(
                "One submission", value={"submissions": [SUBMISSION_ID]}, request_only=True
            ),
            OpenApiExample(
                "Added",
                value={"corpus": CORPUS_ID, "submissions": [SUBMISSION_ID]},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        corpus = corpus_get(user=user, public_id=public_id, can=Can.ANNOTATE)
        payload = SubmissionsAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        wanted = set(payload.validated_data["submissions"])
        found = submissions_by_public_ids(public_ids=wanted)
        if len(found) != len(wanted):
            raise submissions_not_yours_error()  # a missing id reads like someone else's
        added = corpus_submissions_add(corpus=corpus, submissions=found, acting_user=user)
        body = {"corpus": corpus.public_id, "submissions": [s.public_id for s in added]}
        return Response(SubmissionsAddedSerializer(body).data)


class CorpusSubmissionDetailView(APIView):
    @extend_schema(
        operation_id="corpora_submissions_remove",
        summary="Take a submission out of a corpus",
        description=(
            "The submission leaves the corpus (and its import) but is not deleted: its author "
            "keeps it. Its author or the corpus's owner only."
        ),
        tags=[TAG],
        parameters=[
            CORPUS_PATH,
            OpenApiParameter(
                "submission_id",
                OpenApiTypes.UUID,
                OpenApiParameter.PATH,
                description="The submission's id.",
                examples=[OpenApiExample("A submission", value=SUBMISSION_ID)],
            ),
        ],
        request=None,
        responses={204: OpenApiResponse(description="Removed from the corpus.")},
        examples=[
            OpenApiExample(
                "Removed: an empty answer", value=None, response_only=True, status_codes=["204"]
            )
        ],
    )
    def delete(self, request: Request, public_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        user = request_user(request)
        # Through the submission: its author may take it out even after leaving the corpus.
        submission = submission_get(user=user, public_id=submission_id, can=Can.VIEW)
        if submission.corpus is None or submission.corpus.public_id != public_id:
            corpus_get(user=user, public_id=public_id, can=Can.VIEW)  # 404 for a hidden corpus
            raise Http404("No such submission in this corpus.")
        corpus_submission_remove(submission=submission, acting_user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
