"""Fixtures shared by every app's tests."""

import os

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import UserFactory
from parlure_ml.register.artifact import SHIPPED_DIR

# Tests classify with the champion shipped in git, whatever a local MLflow registry holds; workers
# the tests start inherit it.
os.environ.setdefault("PARLURE_REGISTER_MODEL", str(SHIPPED_DIR))


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
