"""API keys: made, listed and revoked through the API, the profile page and the admin."""

import hashlib
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import API_TOKENS_MAX, api_token_create, api_token_revoke
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens/"


def english(client: Client) -> Client:
    """Messages in English whatever the catalogue holds (the portal is French first)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def make_keys(user: User, count: int) -> list[ApiToken]:
    return [api_token_create(user=user, name=f"key {n}")[0] for n in range(count)]


# --- API ------------------------------------------------------------------------------------


def test_me_says_who_the_key_belongs_to(client: Client, user: User) -> None:
    _token, key = api_token_create(user=user, name="script")

    response = client.get(reverse("api:me"), headers=bearer(key))

    assert response.status_code == 200
    assert response.json() == {
        "email": user.email,
        "display_name": user.display_name,
        "roles": ["member"],
        "is_staff": False,
    }


def test_me_without_credentials_is_a_401(client: Client) -> None:
    response = client.get(reverse("api:me"))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_key_made_through_the_api_is_shown_once_and_works(
    member_client: Client, user: User
) -> None:
    created = member_client.post(TOKENS, {"name": "  Import script  "}, "application/json")

    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "name", "prefix", "created_at", "last_used_at", "key"}
    assert body["name"] == "Import script"
    assert body["key"].startswith("plr_")
    assert body["prefix"] == body["key"][:12]
    assert body["last_used_at"] is None
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == user
    # Only the hash is stored; the list never shows the key again.
    assert token.key_hash == hashlib.sha256(body["key"].encode()).hexdigest()
    listed = member_client.get(TOKENS).json()
    assert listed["results"] == [{k: v for k, v in body.items() if k != "key"}]
    assert body["key"] not in member_client.get(TOKENS).content.decode()
    assert (
        Client().get(reverse("api:me"), headers=bearer(body["key"])).json()["email"] == user.email
    )


def test_a_key_made_with_a_key_is_a_second_independent_key(client: Client, user: User) -> None:
    _token, key = api_token_create(user=user, name="first")

    response = client.post(TOKENS, {"name": "second"}, "application/json", headers=bearer(key))

    assert response.status_code == 201
    assert response.json()["key"] != key
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 2


def test_a_blank_name_is_refused_on_the_name_field(member_client: Client) -> None:
    response = english(member_client).post(TOKENS, {"name": "   "}, "application/json")

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "detail": "Some fields are not valid.",
        "errors": {"name": ["Give the key a name, to recognise it later."]},
    }
    assert not ApiToken.objects.exists()


def test_a_missing_or_too_long_name_is_refused(member_client: Client) -> None:
    english(member_client)

    missing = member_client.post(TOKENS, {}, "application/json")
    too_long = member_client.post(TOKENS, {"name": "x" * 101}, "application/json")

    assert missing.status_code == 400
    assert missing.json()["errors"] == {"name": ["This field is required."]}
    assert too_long.status_code == 400
    assert too_long.json()["errors"] == {"name": ["The name is limited to 100 characters."]}
    assert not ApiToken.objects.exists()


def test_a_key_beyond_the_limit_is_refused_until_one_is_revoked(
    member_client: Client, user: User
) -> None:
    tokens = make_keys(user, API_TOKENS_MAX)

    refused = english(member_client).post(TOKENS, {"name": "one more"}, "application/json")

    assert refused.status_code == 400
    assert refused.json()["detail"] == "You already have 20 keys; revoke one you no longer use."
    assert refused.json()["errors"] == {
        "non_field_errors": ["You already have 20 keys; revoke one you no longer use."]
    }
    api_token_revoke(token=tokens[0], acting_user=user)
    assert member_client.post(TOKENS, {"name": "one more"}, "application/json").status_code == 201


def test_the_list_holds_only_my_active_keys_newest_first(
    member_client: Client, user: User, other_user: User
) -> None:
    older, revoked, newer = make_keys(user, 3)
    api_token_revoke(token=revoked, acting_user=user)
    make_keys(other_user, 1)

    response = member_client.get(TOKENS)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]
    assert body["next"] is None
    assert body["previous"] is None


def test_the_list_is_paged_by_cursor(member_client: Client, user: User) -> None:
    tokens = make_keys(user, 3)

    first = member_client.get(TOKENS, {"page_size": 2}).json()
    second = member_client.get(first["next"]).json()

    assert [item["id"] for item in first["results"]] == [tokens[2].pk, tokens[1].pk]
    assert [item["id"] for item in second["results"]] == [tokens[0].pk]
    assert second["next"] is None


def test_revoking_a_key_is_a_204_and_it_stops_working(client: Client, user: User) -> None:
    token, key = api_token_create(user=user, name="script")
    _other, other_key = api_token_create(user=user, name="the one that revokes")

    response = client.delete(f"{TOKENS}{token.pk}/", headers=bearer(other_key))

    assert response.status_code == 204
    assert response.content == b""
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("api:me"), headers=bearer(key)).status_code == 401
    again = client.delete(f"{TOKENS}{token.pk}/", headers=bearer(other_key))
    assert again.status_code == 404


def test_a_key_may_revoke_itself(client: Client, user: User) -> None:
    token, key = api_token_create(user=user, name="leaked")

    assert client.delete(f"{TOKENS}{token.pk}/", headers=bearer(key)).status_code == 204
    assert client.get(reverse("api:me"), headers=bearer(key)).status_code == 401


def test_revoking_someone_elses_key_is_a_404_and_changes_nothing(
    member_client: Client, other_user: User
) -> None:
    theirs, their_key = api_token_create(user=other_user, name="theirs")

    response = member_client.delete(f"{TOKENS}{theirs.pk}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert Client().get(reverse("api:me"), headers=bearer(their_key)).status_code == 200


def test_an_unknown_key_id_is_a_404(member_client: Client) -> None:
    assert member_client.delete(f"{TOKENS}999999/").status_code == 404


def test_the_key_endpoints_need_credentials(client: Client, user: User) -> None:
    token, _key = api_token_create(user=user, name="script")

    assert client.get(TOKENS).status_code == 401
    assert client.post(TOKENS, {"name": "x"}, "application/json").status_code == 401
    assert client.delete(f"{TOKENS}{token.pk}/").status_code == 401
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Profile page ---------------------------------------------------------------------------


def test_the_profile_page_lists_my_active_keys_and_links_to_the_docs(
    member_client: Client, user: User, other_user: User
) -> None:
    kept, _key = api_token_create(user=user, name="Laptop script")
    gone, _gone_key = api_token_create(user=user, name="Old server")
    api_token_revoke(token=gone, acting_user=user)
    api_token_create(user=other_user, name="Someone else's")
    ApiToken.objects.filter(pk=kept.pk).update(last_used_at=timezone.now())

    page = member_client.get(reverse("profile")).content.decode()

    assert "Laptop script" in page
    assert f"{kept.prefix}…" in page
    assert f'id="api-key-{kept.pk}"' in page
    assert reverse("api_key_revoke", args=[kept.pk]) in page
    assert "Old server" not in page
    assert "Someone else" not in page
    assert f'href="{reverse("api:swagger")}"' in page
    assert f'href="{reverse("api:redoc")}"' in page


def test_a_key_made_on_the_profile_page_is_shown_once(member_client: Client, user: User) -> None:
    english(member_client)

    response = member_client.post(reverse("api_key_create"), {"name": "Laptop"})

    assert response.status_code == 302
    assert response["Location"] == reverse("profile") + "#new-api-key"
    token = ApiToken.objects.get(user=user)
    assert token.name == "Laptop"
    shown = member_client.get(reverse("profile"))
    html = shown.content.decode()
    start = html.index('id="new-api-key-value" value="') + len('id="new-api-key-value" value="')
    key = html[start : html.index('"', start)]
    assert key.startswith(token.prefix)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert "Copy it now, it won" in html
    assert "data-copy-target" in html
    assert "no-store" in shown["Cache-Control"]
    assert key not in member_client.get(reverse("profile")).content.decode()


def test_a_blank_name_on_the_profile_page_is_refused_with_its_message(
    member_client: Client,
) -> None:
    response = english(member_client).post(reverse("api_key_create"), {"name": " "})

    assert response.status_code == 400
    assert "Give the key a name, to recognise it later." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_key_beyond_the_limit_on_the_profile_page_is_refused(
    member_client: Client, user: User
) -> None:
    make_keys(user, API_TOKENS_MAX)

    response = english(member_client).post(reverse("api_key_create"), {"name": "one more"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "You already have 20 keys; revoke one you no longer use." in html
    assert "You hold 20 keys, the most allowed" in html
    assert ApiToken.objects.filter(user=user).count() == API_TOKENS_MAX


def test_revoking_a_key_on_the_profile_page(member_client: Client, user: User) -> None:
    token, key = api_token_create(user=user, name="Laptop")

    response = member_client.post(reverse("api_key_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("profile") + "#api-keys"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(reverse("api:me"), headers=bearer(key)).status_code == 401
    assert f'id="api-key-{token.pk}"' not in member_client.get(reverse("profile")).content.decode()


def test_revoking_someone_elses_key_on_the_profile_page_is_a_404(
    member_client: Client, other_user: User
) -> None:
    theirs, _key = api_token_create(user=other_user, name="theirs")

    response = member_client.post(reverse("api_key_revoke", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoking_takes_a_post(member_client: Client, user: User) -> None:
    token, _key = api_token_create(user=user, name="Laptop")

    assert member_client.get(reverse("api_key_revoke", args=[token.pk])).status_code == 405
    assert member_client.get(reverse("api_key_create")).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_key_pages_send_anonymous_visitors_to_log_in(client: Client, user: User) -> None:
    token, _key = api_token_create(user=user, name="Laptop")

    for response in (
        client.post(reverse("api_key_create"), {"name": "x"}),
        client.post(reverse("api_key_revoke", args=[token.pk])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert ApiToken.objects.count() == 1


def test_the_key_forms_need_the_csrf_token(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token, _key = api_token_create(user=user, name="Laptop")

    assert client.post(reverse("api_key_create"), {"name": "x"}).status_code == 403
    assert client.post(reverse("api_key_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 1


# --- Admin ----------------------------------------------------------------------------------


def test_the_admin_finds_keys_and_revokes_them_through_the_service(admin_client: Client) -> None:
    owner = UserFactory.create(email="owner@example.org")
    token, key = api_token_create(user=owner, name="CI pipeline")
    changelist = reverse("admin:accounts_apitoken_changelist")

    found = admin_client.get(changelist, {"q": "owner@example.org", "active": "yes"})
    revoked = admin_client.post(
        changelist, {"action": "revoke", "_selected_action": [str(token.pk)]}
    )

    assert found.status_code == 200
    assert "CI pipeline" in found.content.decode()
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(reverse("api:me"), headers=bearer(key)).status_code == 401
    assert "CI pipeline" not in admin_client.get(changelist, {"active": "yes"}).content.decode()


def test_the_admin_shows_no_key_and_cannot_make_or_edit_one(admin_client: Client) -> None:
    owner = UserFactory.create()
    token, key = api_token_create(user=owner, name="CI pipeline")
    change = reverse("admin:accounts_apitoken_change", args=[token.pk])

    page = admin_client.get(change).content.decode()
    admin_client.post(change, {"name": "renamed", "key_hash": "0" * 64})

    assert key not in page
    assert 'name="key_hash"' not in page
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    token.refresh_from_db()
    assert token.name == "CI pipeline"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()


def test_me_stays_cheap_for_the_request_rate_benchmark(
    client: Client, user: User, django_assert_max_num_queries: Any
) -> None:
    _token, key = api_token_create(user=user, name="bench")
    client.get(reverse("api:me"), headers=bearer(key))  # the first use records last_used_at

    # The key with its owner, then the owner's roles; nothing is written within the minute.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("api:me"), headers=bearer(key))

    assert response.status_code == 200


def test_an_id_beyond_any_database_integer_is_a_404(member_client: Client) -> None:
    response = member_client.delete(f"{TOKENS}{10**30}/")

    assert response.status_code == 404
    assert member_client.post(reverse("api_key_revoke", args=[10**30])).status_code == 404
