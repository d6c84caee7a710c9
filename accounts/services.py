"""Every change to a person's account goes through these functions."""

import logging

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import MEMBER, ROLES, STAFF_ROLES

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
def user_update_profile(*, user: User, display_name: str) -> User:
    user.display_name = display_name.strip()
    user.save(update_fields=["display_name"])
    return user
