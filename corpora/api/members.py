"""A corpus's members: list, add by e-mail, change a role, remove (or leave)."""

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.http import request_user
from common.rest.pagination import NewestFirstPagination
from corpora.access import Can, corpus_get
from corpora.models import CorpusMember
from corpora.selectors import corpus_member_get, corpus_member_list
from corpora.serializers import MemberCreateSerializer, MemberSerializer, MemberUpdateSerializer
from corpora.services.corpora import corpus_member_add, corpus_member_remove, corpus_member_set_role

from .common import CORPUS_PATH, MEMBER_EXAMPLE, ROLE_RULES, TAG


class MembersPagination(NewestFirstPagination):
    ordering = ("added_at", "id")


@extend_schema_view(
    get=extend_schema(
        operation_id="corpora_members_list",
        summary="List a corpus's members",
        description=(
            "The people the corpus is shared with (the owner is the corpus's `owner`), in the "
            f"order they were added. Every member may read it. {ROLE_RULES}"
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH],
        examples=[OpenApiExample("A viewer", value=MEMBER_EXAMPLE, response_only=True)],
    ),
    post=extend_schema(
        operation_id="corpora_members_create",
        summary="Share a corpus with someone",
        description=(
            "Adds the person with this e-mail address (they need a Parlure account) with a role. "
            "The owner only. An unknown address, the owner's own address, or someone who is "
            "already a member (change their role with PATCH instead) is a 400 on `email`."
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH],
        request=MemberCreateSerializer,
        responses={201: MemberSerializer},
        examples=[
            OpenApiExample(
                "Add a viewer",
                value={"email": "dominique@example.org", "role": "viewer"},
                request_only=True,
            ),
            OpenApiExample("Added", value=MEMBER_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    ),
)
class MemberListView(generics.ListAPIView[CorpusMember]):
    serializer_class = MemberSerializer
    pagination_class = MembersPagination
    queryset = CorpusMember.objects.none()

    def get_queryset(self) -> QuerySet[CorpusMember]:
        corpus = corpus_get(
            user=request_user(self.request), public_id=self.kwargs["public_id"], can=Can.VIEW
        )
        return corpus_member_list(corpus=corpus)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return MemberCreateSerializer if self.request.method == "POST" else MemberSerializer

    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        corpus = corpus_get(user=user, public_id=public_id, can=Can.MANAGE)
        payload = MemberCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        member = corpus_member_add(corpus=corpus, acting_user=user, **payload.validated_data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)


MEMBER_PATH = OpenApiParameter(
    "member_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The membership's id.",
    examples=[OpenApiExample("A membership", value=7)],
)


@extend_schema_view(
    patch=extend_schema(
        operation_id="corpora_members_update",
        summary="Change a member's role",
        description=f"The owner only. {ROLE_RULES}",
        tags=[TAG],
        parameters=[CORPUS_PATH, MEMBER_PATH],
        request=MemberUpdateSerializer,
        responses={200: MemberSerializer},
        examples=[
            OpenApiExample("Make an annotator", value={"role": "annotator"}, request_only=True),
            OpenApiExample(
                "Changed", value={**MEMBER_EXAMPLE, "role": "annotator"}, response_only=True
            ),
        ],
    ),
    delete=extend_schema(
        operation_id="corpora_members_destroy",
        summary="Remove a member, or leave a corpus",
        description=(
            "The owner removes anyone; a member may remove their own membership (leave the "
            "corpus), after which the corpus is a 404 for them. Their submissions stay in the "
            "corpus."
        ),
        tags=[TAG],
        parameters=[CORPUS_PATH, MEMBER_PATH],
        request=None,
        responses={204: OpenApiResponse(description="Removed.")},
        examples=[
            OpenApiExample(
                "Removed: an empty answer", value=None, response_only=True, status_codes=["204"]
            )
        ],
    ),
)
class MemberDetailView(generics.GenericAPIView[CorpusMember]):
    serializer_class = MemberSerializer
    queryset = CorpusMember.objects.none()

    def patch(self, request: Request, public_id: uuid.UUID, member_id: int) -> Response:
        user = request_user(request)
        corpus = corpus_get(user=user, public_id=public_id, can=Can.MANAGE)
        member = corpus_member_get(corpus=corpus, member_id=member_id)
        payload = MemberUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        member = corpus_member_set_role(
            member=member, role=payload.validated_data["role"], acting_user=user
        )
        return Response(MemberSerializer(member).data)

    def delete(self, request: Request, public_id: uuid.UUID, member_id: int) -> Response:
        user = request_user(request)
        corpus = corpus_get(user=user, public_id=public_id, can=Can.VIEW)
        member = corpus_member_get(corpus=corpus, member_id=member_id)
        corpus_member_remove(member=member, acting_user=user)  # the owner, or oneself
        return Response(status=status.HTTP_204_NO_CONTENT)
