"""Every change to a person's account goes through these functions."""

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.vocabulary import vocabulary_clean

from .models import ApiToken, User
from .roles import MEMBER, ROLES, STAFF_ROLES
from .tokens import PREFIX_SHOWN, key_generate, key_hash

logger = logging.getLogger(__name__)


@transaction.atomic
def user_create(*, email: str, password: str, display_name: str = "") -> User:
    """Sign a person up. Everyone starts as a member."""
    user = User.objects.create_user(email=email, password=password, display_name=display_name)
    user.groups.add(Group.objects.get(name=MEMBER))
    logger.info("user %s signed up", user.pk)
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str, acting_user: User | None) -> User:
    """Give a person exactly one role. Reviewers and administrators work in the admin site."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {', '.join(ROLES)}.")
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get(name=role))
    user.is_staff = role in STAFF_ROLES or user.is_superuser
    user.save(update_fields=["is_staff"])
    logger.info(
        "user %s given role %s by %s", user.pk, role, acting_user.pk if acting_user else "system"
    )
    return user


def user_roles(*, user: User) -> list[str]:
    return [name for name in user.groups.values_list("name", flat=True) if name in ROLES]


@transaction.atomic
def user_update_profile(*, user: User, display_name: str, vocabulary: str | None = None) -> User:
    """Save the display name and, when given, the vocabulary (ValidationError over its limits)."""
    user.display_name = display_name.strip()
    fields = ["display_name"]
    if vocabulary is not None:
        user.vocabulary = vocabulary_clean(vocabulary)
        fields.append("vocabulary")
    user.save(update_fields=fields)
    return user


# A person may hold this many usable API keys at once.
API_TOKENS_MAX = 20
API_TOKEN_NAME_MAX = 100  # ApiToken.name's max_length


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make an API key. Returns (token, key): the key is shown once and never stored."""
    name = name.strip()
    # Keyed on the field, so that a form or a serializer shows the message next to "name".
    if not name:
        message = _("Give the key a name, to recognise it later.")
        raise ValidationError({"name": ValidationError(message, code="blank")})
    if len(name) > API_TOKEN_NAME_MAX:
        message = _("The name is limited to %(max)s characters.")
        params = {"max": API_TOKEN_NAME_MAX}
        raise ValidationError({"name": ValidationError(message, code="max_length", params=params)})
    # Locked: two concurrent requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= API_TOKENS_MAX:
        raise ValidationError(
            _("You already have %(max)s keys; revoke one you no longer use."),
            code="too_many",
            params={"max": API_TOKENS_MAX},
        )
    key = key_generate()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:PREFIX_SHOWN], key_hash=key_hash(key)
    )
    logger.info("API token %s created by user %s", token.pk, user.pk)
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user: User) -> ApiToken:
    """Revoke a key; revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        logger.info("API token %s revoked by user %s", token.pk, acting_user.pk)
    return token
