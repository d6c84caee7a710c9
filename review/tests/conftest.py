"""Fixtures for the review tests: reviewers, and pages in English (the tests read messages)."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from accounts.roles import REVIEWER
from accounts.services import user_set_role
from accounts.tests.factories import UserFactory


def english_client(user: User | None = None) -> Client:
    """A client whose pages and JSON speak English (the portal is French first)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def make_reviewer(**kwargs: object) -> User:
    person = UserFactory.create(**kwargs)
    return user_set_role(user=person, role=REVIEWER, acting_user=None)


@pytest.fixture
def owner_client(user: User) -> Client:
    return english_client(user)


@pytest.fixture
def reviewer(db: None) -> User:
    return make_reviewer(display_name="Alice")


@pytest.fixture
def second_reviewer(db: None) -> User:
    return make_reviewer(display_name="Bruno")


@pytest.fixture
def reviewer_client(reviewer: User) -> Client:
    return english_client(reviewer)
