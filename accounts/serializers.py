"""What the API says about a person and their keys."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import ApiToken, User
from .roles import ROLES
from .services import API_TOKEN_NAME_MAX, user_roles


class MeSerializer(serializers.ModelSerializer[User]):
    roles = serializers.SerializerMethodField(help_text="The person's roles in the portal.")

    class Meta:
        model = User
        fields = ["email", "display_name", "roles", "is_staff"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ROLES)))
    def get_roles(self, user: User) -> list[str]:
        return user_roles(user=user)


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = fields
        extra_kwargs = {
            "prefix": {"help_text": "The key's first characters, to recognise it."},
            "last_used_at": {"help_text": "Null until the key is used; updated once a minute."},
        }


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.SerializerMethodField(
        help_text="The key itself: shown in this response only, never again."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields

    def get_key(self, token: ApiToken) -> str:
        return str(self.context["key"])


class ApiTokenCreateSerializer(serializers.Serializer[None]):
    # The rules (not blank, length, how many keys) live in api_token_create; this only reads.
    name = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"A name to recognise the key by, 1 to {API_TOKEN_NAME_MAX} characters.",
    )
