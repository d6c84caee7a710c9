"""Fixtures shared by every app's tests."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import UserFactory


@pytest.fixture
def user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def member_client(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
