"""Fixtures for the API's cross-cutting tests."""

import pytest

from accounts.models import User
from accounts.services import api_token_create


@pytest.fixture
def key(user: User) -> str:
    """A working API key of `user`."""
    return api_token_create(user=user, name="tests")[1]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
