"""Corpora: list, make, read, rename and delete."""

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.http import request_user
from corpora.access import Can, corpus_get
from corpora.filters import CorpusFilter
from corpora.models import Corpus
from corpora.selectors import corpus_list_for_user
from corpora.serializers import CorpusSerializer, CorpusWriteSerializer
from corpora.services.corpora import corpus_create, corpus_delete, corpus_update

from .common import CORPUS_EXAMPLE, CORPUS_PATH, ROLE_RULES, TAG


def _corpus_listed(request: Request, corpus: Corpus) -> Corpus:
    """The corpus as the list shows it, with the requester's role and its submission count."""
    return corpus_list_for_user(user=request_user(request)).get(pk=corpus.pk)


@extend_schema_view(
    get=extend_schema(
        operation_id="corpora_list",
        summary="List my corpora",
        description=(
            "The corpora you own or are a member of, newest first, each with `role` (yours: "
            "owner, viewer, annotator or reviewer) and its submission count. Filter with "
            f"`role` and `name` (part of the name, any case). {ROLE_RULES}"
        ),
        tags=[TAG],
        examples=[OpenApiExample("A corpus shared with you", value=CORPUS_EXAMPLE)],
    ),
    post=extend_schema(
        operation_id="corpora_create",
        summary="Make a corpus",
        description=(
            "Makes an empty corpus that you own. `name` is required (1 to 200 characters), "
            "`description` optional (up to 5000); control characters are removed and outer "
            "spaces trimmed."
        ),
        tags=[TAG],
        request=CorpusWriteSerializer,
        responses={201: CorpusSerializer},
        examples=[
            OpenApiExample(
                "Name and description",
                value={"name": "Courriers administratifs", "description": "Lettres de 2024."},
                request_only=True,
            ),
            OpenApiExample(
                "The new corpus",
                value={**CORPUS_EXAMPLE, "role": "owner", "submission_count": 0},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    ),
)
class CorpusListView(generics.ListAPIView[Corpus]):
    serializer_class = CorpusSerializer
    filterset_class = CorpusFilter
    queryset = Corpus.objects.none()  # the model, for the schema and the filters

    def get_queryset(self) -> QuerySet[Corpus]:
        return corpus_list_for_user(user=request_user(self.request))

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return CorpusWriteSerializer if self.request.method == "POST" else CorpusSerializer

    def post(self, request: Request) -> Response:
        payload = CorpusWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        corpus = corpus_create(
            owner=request_user(request),
            name=data["name"],
            description=data["description"],
            vocabulary="\n".join(data.get("vocabulary", [])),
        )
        body = CorpusSerializer(_corpus_listed(request, corpus)).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        operation_id="corpora_retrieve",
        summary="Read a corpus",
        description=(
            "A corpus you own or are a member of, with your role. Its submissions are listed by "
            "`GET /api/v1/submissions/?corpus=<id>`."
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH],
        responses={200: CorpusSerializer},
        examples=[OpenApiExample("A corpus", value=CORPUS_EXAMPLE, response_only=True)],
    ),
    patch=extend_schema(
        operation_id="corpora_update",
        summary="Rename or describe a corpus",
        description="Changes the name and/or the description. The owner only (403 for members).",
        tags=[TAG],
        parameters=[CORPUS_PATH],
        request=CorpusWriteSerializer,
        responses={200: CorpusSerializer},
        examples=[
            OpenApiExample("A new name", value={"name": "Courriers 2024"}, request_only=True),
            OpenApiExample(
                "Renamed",
                value={**CORPUS_EXAMPLE, "name": "Courriers 2024", "role": "owner"},
                response_only=True,
            ),
        ],
    ),
    delete=extend_schema(
        operation_id="corpora_destroy",
        summary="Delete a corpus",
        description=(
            "Deletes the corpus with everything in it: its members, its imports, and every "
            "submission in it with its results, whoever added it. The owner only (403 for "
            "members). Export it first if you may need it."
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH],
        request=None,
        responses={204: OpenApiResponse(description="Deleted.")},
        examples=[
            OpenApiExample(
                "Deleted: an empty answer", value=None, response_only=True, status_codes=["204"]
            )
        ],
    ),
)
class CorpusDetailView(generics.GenericAPIView[Corpus]):
    serializer_class = CorpusSerializer
    queryset = Corpus.objects.none()

    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        corpus = corpus_get(user=request_user(request), public_id=public_id, can=Can.VIEW)
        return Response(CorpusSerializer(_corpus_listed(request, corpus)).data)

    def patch(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        corpus = corpus_get(user=user, public_id=public_id, can=Can.MANAGE)
        payload = CorpusWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        corpus_update(
            corpus=corpus,
            name=data.get("name", corpus.name),
            description=data.get("description", corpus.description),
            vocabulary="\n".join(data["vocabulary"]) if "vocabulary" in data else None,
            acting_user=user,
        )
        return Response(CorpusSerializer(_corpus_listed(request, corpus)).data)

    def delete(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        corpus = corpus_get(user=user, public_id=public_id, can=Can.MANAGE)
        corpus_delete(corpus=corpus, acting_user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
