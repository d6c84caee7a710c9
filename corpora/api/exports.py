"""A corpus as a CSV or JSONL download, streamed."""

import uuid

from django.http import HttpResponseBase, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.http import request_user
from common.rest.negotiation import FirstRendererNegotiation
from corpora.access import Can, corpus_get
from corpora.exports import (
    corpus_export_explanations_request,
    corpus_export_lines,
    export_filename,
)
from corpora.serializers import ExportQuerySerializer
from corpora.views.corpora import EXPORT_CONTENT_TYPES

from .common import CORPUS_PATH, SUBMISSION_ID, TAG


class ExplanationsPendingSerializer(serializers.Serializer[dict[str, object]]):
    detail = serializers.CharField()
    pending = serializers.IntegerField(help_text="Texts whose deciding words are still missing.")


class CorpusExportView(APIView):
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        operation_id="corpora_export",
        summary="Export a corpus",
        description=(
            "The whole corpus, one row per submission (oldest first), as a download streamed "
            "while it is written: the input (text, or transcript and segments), the register "
            "prediction with its scores, transcript corrections, the label a review decided, and "
            "the labels people suggested. `file_format=csv` (UTF-8 with a byte-order mark, a "
            "header row) or `file_format=jsonl` (one JSON object per line). Every member may "
            "export. `explain=1` adds a `sentences` column: each sentence with its register and "
            "the words that decided it. Imported texts are classified without those: if some "
            "are missing, the request queues their computation and answers 202 with how many "
            "are missing (`pending`); ask again until the download comes."
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH, ExportQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(
                response=OpenApiTypes.STR, description="CSV, one row per submission."
            ),
            (200, "application/x-ndjson"): OpenApiResponse(
                response=OpenApiTypes.STR, description="JSON Lines, one object per submission."
            ),
            202: OpenApiResponse(
                response=ExplanationsPendingSerializer,
                description="explain=1: some deciding words are being computed; ask again.",
            ),
        },
        examples=[
            OpenApiExample(
                "CSV (first columns)",
                value="id,kind,created_at,author,status,text,segments,label\r\n"
                f"{SUBMISSION_ID},text,2025-03-14T09:26:53+00:00,camille@example.org,done,"
                "Je vous prie d'agréer…,,soutenu\r\n",
                response_only=True,
                media_type="text/csv",
            ),
        ],
    )
    def get(self, request: Request, public_id: uuid.UUID) -> HttpResponseBase:
        corpus = corpus_get(user=request_user(request), public_id=public_id, can=Can.VIEW)
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        file_format = query.validated_data["file_format"]
        explain = query.validated_data["explain"]
        if explain and (pending := corpus_export_explanations_request(corpus=corpus)):
            return JsonResponse(
                {
                    "detail": _(
                        "The deciding words of %(count)s texts are being computed: ask again "
                        "in a moment."
                    )
                    % {"count": pending},
                    "pending": pending,
                },
                status=202,
            )
        response = StreamingHttpResponse(
            corpus_export_lines(corpus=corpus, file_format=file_format, explanations=explain),
            content_type=EXPORT_CONTENT_TYPES[file_format],
        )
        filename = export_filename(corpus=corpus, file_format=file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
