"""Fixtures for the monitoring tests: staff and administrators, workers faked at the boundary."""

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from accounts.roles import ADMINISTRATOR, REVIEWER
from accounts.services import user_set_role
from accounts.tests.factories import UserFactory
from common import workers as common_workers

WorkersSetter = Callable[[dict[str, list[str]] | Exception], list[float]]


def english_client(user: User | None = None) -> Client:
    """A client whose pages speak English (the portal is French first)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Worker health and the alert banner are cached per process: each test starts afresh.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db: None) -> User:
    return user_set_role(user=UserFactory.create(), role=REVIEWER, acting_user=None)


@pytest.fixture
def administrator(db: None) -> User:
    return user_set_role(
        user=UserFactory.create(email="admin@example.org"), role=ADMINISTRATOR, acting_user=None
    )


@pytest.fixture
def staff_client(staff: User) -> Client:
    return english_client(staff)


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> WorkersSetter:
    """Sets what the workers' broadcast answers (hostname: queues), or the error it raises.

    Returns the list of timeouts the broadcast was called with, one per call.
    """
    calls: list[float] = []

    def set_answer(answer: dict[str, list[str]] | Exception) -> list[float]:
        def ask(timeout: float) -> dict[str, list[str]]:
            calls.append(timeout)
            if isinstance(answer, Exception):
                raise answer
            return answer

        monkeypatch.setattr(common_workers, "workers_ask", ask)
        cache.clear()
        return calls

    set_answer({})
    return set_answer
