"""Over the rate, the API answers 429 with Retry-After, in its error format."""

import socket
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User
from accounts.services import api_token_create
from api.tests.conftest import bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


@pytest.fixture
def two_a_minute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # DRF reads the rates once, when the throttle classes are defined: patch its dict.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "2/minute")
    cache.clear()
    yield
    cache.clear()


def test_a_person_over_the_rate_gets_a_429_with_retry_after(
    two_a_minute: None, client: Client, key: str
) -> None:
    answers = [client.get(ME, headers=bearer(key)) for _ in range(3)]

    assert [answer.status_code for answer in answers[:2]] == [200, 200]
    throttled = answers[2]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    body = throttled.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == 429
    assert body["code"] == "throttled"
    assert body["errors"] == {}
    assert str(int(throttled["Retry-After"])) in body["detail"]


def test_the_rate_is_counted_per_person(
    two_a_minute: None, client: Client, key: str, other_user: User
) -> None:
    _token, other_key = api_token_create(user=other_user, name="theirs")
    for _ in range(2):
        client.get(ME, headers=bearer(key))

    assert client.get(ME, headers=bearer(key)).status_code == 429
    assert client.get(ME, headers=bearer(other_key)).status_code == 200


def test_with_its_counters_unreachable_throttling_lets_requests_through(
    two_a_minute: None, client: Client, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the Redis that holds the counters is down (nothing listens on its port)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(SimpleRateThrottle, "cache", RedisCache(f"redis://127.0.0.1:{port}/0", {}))

    # When a person sends more requests than the rate allows
    answers = [client.get(ME, headers=bearer(key)) for _ in range(3)]

    # Then each is answered, none with a 500 (nor a 429: nothing can be counted)
    assert [answer.status_code for answer in answers] == [200, 200, 200]
