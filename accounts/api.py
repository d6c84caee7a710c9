"""The API's account endpoints: who am I, and my API keys."""

from django.db.models import QuerySet
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

from accounts.http import request_user

from .models import ApiToken, User
from .selectors import api_token_get_for_user, api_token_list_for_user
from .serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    MeSerializer,
)
from .services import api_token_create, api_token_revoke

TAG = "account"

TOKEN_EXAMPLE = {
    "id": 42,
    "name": "Script d'import",
    "prefix": "plr_Xr4k2mQ9",
    "created_at": "2025-03-14T09:26:53Z",
    "last_used_at": "2025-03-15T18:02:11Z",
}


class MeView(generics.GenericAPIView[User]):
    serializer_class = MeSerializer

    @extend_schema(
        operation_id="me_retrieve",
        summary="Who am I",
        description=(
            "The person the request authenticates as (by API key or browser session): e-mail, "
            "display name, roles (member, reviewer, administrator) and whether they may use the "
            "administration site. A cheap way to check that a key works."
        ),
        tags=[TAG],
        responses={200: MeSerializer},
        examples=[
            OpenApiExample(
                "A member",
                value={
                    "email": "camille@example.org",
                    "display_name": "Camille",
                    "roles": ["member"],
                    "is_staff": False,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request_user(request)).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="tokens_list",
        summary="List my API keys",
        description=(
            "Your usable API keys, newest first (revoked keys are not listed). Only the first "
            "characters of each key (`prefix`) are shown: the key itself is never shown again "
            "after it was made."
        ),
        tags=[TAG],
        examples=[OpenApiExample("A key", value=TOKEN_EXAMPLE, response_only=True)],
    ),
    post=extend_schema(
        operation_id="tokens_create",
        summary="Make an API key",
        description=(
            "Makes a key for programs to send as `Authorization: Bearer <key>`. The answer holds "
            "the key (`key`) this once: store it now, it cannot be shown again. A person may hold "
            "20 usable keys at once; revoke one to make room."
        ),
        tags=[TAG],
        request=ApiTokenCreateSerializer,
        responses={201: ApiTokenCreatedSerializer},
        examples=[
            OpenApiExample("Name the key", value={"name": "Script d'import"}, request_only=True),
            OpenApiExample(
                "The new key, shown once",
                value={**TOKEN_EXAMPLE, "last_used_at": None, "key": "plr_Xr4k2mQ9…"},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    ),
)
class TokenListView(generics.ListAPIView[ApiToken]):
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # tells the schema the model; get_queryset() answers

    def get_queryset(self) -> QuerySet[ApiToken]:
        return api_token_list_for_user(user=request_user(self.request))

    def post(self, request: Request) -> Response:
        form = ApiTokenCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        token, key = api_token_create(user=request_user(request), name=form.validated_data["name"])
        body = ApiTokenCreatedSerializer(token, context={"key": key}).data
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetailView(generics.GenericAPIView[ApiToken]):
    serializer_class = ApiTokenSerializer

    @extend_schema(
        operation_id="tokens_destroy",
        summary="Revoke an API key",
        description=(
            "Revokes one of your keys: programs that send it get 401 from now on. The key stays "
            "in the records but is no longer listed. Someone else's key, or one already revoked, "
            "is a 404."
        ),
        tags=[TAG],
        request=None,
        parameters=[
            OpenApiParameter(
                "id",
                int,
                OpenApiParameter.PATH,
                description="The key's id, from the list of keys.",
                examples=[OpenApiExample("Key 42", value=42)],
            )
        ],
        responses={204: OpenApiResponse(description="Revoked; the answer has no body.")},
    )
    def delete(self, request: Request, pk: int) -> Response:
        person = request_user(request)
        token = api_token_get_for_user(user=person, token_id=pk)
        api_token_revoke(token=token, acting_user=person)
        return Response(status=status.HTTP_204_NO_CONTENT)
