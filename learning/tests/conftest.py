"""Fixtures of the learning tests."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import ADMINISTRATOR
from accounts.services import user_set_role
from learning.models import ModelVersion


@pytest.fixture
def versions() -> tuple[ModelVersion, ModelVersion]:
    champion = ModelVersion.objects.create(version="1", name="register-a", is_champion=True)
    challenger = ModelVersion.objects.create(version="2", name="register-b")
    return champion, challenger


@pytest.fixture
def administrator(client: Client, user: User) -> Client:
    user_set_role(user=user, role=ADMINISTRATOR, acting_user=None)
    client.force_login(user)
    return client
