"""Importing a file into a corpus, and following its imports."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from accounts.http import request_user
from common.rest.errors import PayloadTooLarge
from common.rest.schema import error_response
from corpora.access import Can, corpus_get
from corpora.models import ImportBatch
from corpora.selectors import batch_list_for_corpus, corpus_import_get
from corpora.serializers import ImportBatchSerializer, ImportCreateSerializer
from corpora.services.imports import import_create
from corpora.views.imports import import_too_large_message

from .common import CORPUS_PATH, IMPORT_EXAMPLE, TAG


class UploadLimitMixin:
    """Sets the import's size limit on the request before anything reads its body (the session
    authentication's CSRF check does), for the size-limited upload handler."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        request._request.upload_max_bytes = settings.PARLURE_IMPORT_MAX_ARCHIVE_BYTES  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


@extend_schema_view(
    get=extend_schema(
        operation_id="corpora_imports_list",
        summary="List a corpus's imports",
        description=(
            "Imports into the corpus, newest first, each with its counts, its problems (rejected "
            "lines or archive files, with the reason) and the progress of its submissions. Every "
            "member may read them."
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH],
        examples=[OpenApiExample("A running import", value=IMPORT_EXAMPLE, response_only=True)],
    ),
    post=extend_schema(
        operation_id="corpora_imports_create",
        summary="Import a file into a corpus",
        description=(
            "Sends a file (multipart/form-data, field `file`): CSV or TSV with a header row and "
            "a `text` (or `texte`) column, JSONL with a `text` field per line, TXT with one text "
            "per line (all UTF-8), or a ZIP of audio files. Each valid line or file becomes a "
            "submission of the corpus, queued for annotation; each rejected one is listed in "
            "`problems` with its line (or file) and reason, and the rest is imported. A file "
            "that cannot be read at all is a 400 on `file`; one over the size limit is a 413, "
            "answered before it is read. Send a random `client_token` to make a retry safe: the "
            "same token returns the first import with 200. Annotators, reviewers and the owner; "
            "counts against the `uploads` rate."
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH],
        request={"multipart/form-data": ImportCreateSerializer},
        responses={
            201: ImportBatchSerializer,
            200: ImportBatchSerializer,
            413: error_response("The file is over the size limit (the message says the limit)."),
        },
        examples=[
            OpenApiExample(
                "Imported, being processed",
                value=IMPORT_EXAMPLE,
                response_only=True,
                status_codes=["201", "200"],
            )
        ],
    ),
)
class ImportListView(UploadLimitMixin, generics.ListAPIView[ImportBatch]):
    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser]
    queryset = ImportBatch.objects.none()

    @property
    def throttle_scope(self) -> str | None:
        # Importing is an expensive write; reading the list is not.
        return "uploads" if self.request.method == "POST" else None

    def get_queryset(self) -> QuerySet[ImportBatch]:
        corpus = corpus_get(
            user=request_user(self.request), public_id=self.kwargs["public_id"], can=Can.VIEW
        )
        return batch_list_for_corpus(corpus=corpus)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return ImportCreateSerializer if self.request.method == "POST" else ImportBatchSerializer

    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        # Checked before the body is read: someone who may not import sends nothing further.
        corpus = corpus_get(user=user, public_id=public_id, can=Can.ANNOTATE)
        data = request.data  # parsing the body runs the size-limited upload handler
        if getattr(request._request, "upload_too_large", False):
            raise PayloadTooLarge(import_too_large_message())
        payload = ImportCreateSerializer(data=data)
        payload.is_valid(raise_exception=True)
        fields = payload.validated_data
        try:
            batch, created = import_create(
                corpus=corpus,
                user=user,
                file=fields["file"],
                client_token=fields.get("client_token"),
            )
        except DjangoValidationError as error:
            # A refusal of the whole file: about `file`, or a 413 for its size.
            if error.code == "too_large":
                raise PayloadTooLarge(error.messages[0]) from None
            raise serializers.ValidationError({"file": error.messages}) from None
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ImportBatchSerializer(batch).data, status=code)


class ImportDetailView(APIView):
    @extend_schema(
        operation_id="corpora_imports_retrieve",
        summary="Follow an import",
        description=(
            "One import: its counts, its problems and the progress of its submissions (`progress."
            "finished` once every one is done, failed or cancelled). Poll it while it runs; "
            "every member may read it."
        ),
        tags=[TAG],
        parameters=[
            CORPUS_PATH,
            OpenApiParameter(
                "import_id",
                OpenApiTypes.UUID,
                OpenApiParameter.PATH,
                description="The import's id.",
            ),
        ],
        responses={200: ImportBatchSerializer},
        examples=[OpenApiExample("A running import", value=IMPORT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, public_id: uuid.UUID, import_id: uuid.UUID) -> Response:
        corpus = corpus_get(user=request_user(request), public_id=public_id, can=Can.VIEW)
        batch = corpus_import_get(corpus=corpus, public_id=import_id)
        return Response(ImportBatchSerializer(batch).data)
