"""Who may call the API: programs with a key, the browser with its session (and CSRF)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.authentication import LAST_USED_RESOLUTION
from accounts.models import ApiToken, User
from accounts.services import api_token_create, api_token_revoke
from api.tests.conftest import bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
TOKENS = "/api/v1/tokens/"


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_key_authenticates_with_either_keyword(
    client: Client, user: User, key: str, keyword: str
) -> None:
    response = client.get(ME, HTTP_AUTHORIZATION=f"{keyword} {key}")

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_using_a_key_records_when_at_most_once_a_minute(client: Client, user: User) -> None:
    token, key = api_token_create(user=user, name="script")
    assert token.last_used_at is None

    client.get(ME, headers=bearer(key))
    token.refresh_from_db()
    first_use = token.last_used_at
    client.get(ME, headers=bearer(key))
    token.refresh_from_db()

    assert first_use is not None
    assert token.last_used_at == first_use  # a second request within the minute writes nothing
    long_ago = timezone.now() - LAST_USED_RESOLUTION - timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    client.get(ME, headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > first_use


def test_a_revoked_key_does_not_authenticate(client: Client, user: User) -> None:
    token, key = api_token_create(user=user, name="script")
    api_token_revoke(token=token, acting_user=user)

    response = client.get(ME, headers=bearer(key))

    assert response.status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is None


def test_the_key_of_a_deactivated_person_does_not_authenticate(
    client: Client, user: User, key: str
) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = client.get(ME, headers=bearer(key))

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_bad_key_is_refused_even_with_a_valid_session(member_client: Client) -> None:
    # A key that was sent is the credential: a wrong one is not silently replaced by the session.
    response = member_client.get(ME, HTTP_AUTHORIZATION="Bearer plr_wrong")

    assert response.status_code == 401


def test_the_browser_session_authenticates(member_client: Client, user: User) -> None:
    response = member_client.get(ME)

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_a_session_write_needs_the_csrf_token(user: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/compte/profil/")  # sets the csrftoken cookie, as any page does
    csrf = browser.cookies["csrftoken"].value

    refused = browser.post(TOKENS, {"name": "from the browser"}, "application/json")
    accepted = browser.post(
        TOKENS, {"name": "from the browser"}, "application/json", HTTP_X_CSRFTOKEN=csrf
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201
    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_key_write_needs_no_csrf_token(user: User, key: str) -> None:
    program = Client(enforce_csrf_checks=True)

    response = program.post(
        TOKENS, {"name": "from a program"}, "application/json", headers=bearer(key)
    )

    assert response.status_code == 201
