"""Every answer that is not a success has one shape: {status, code, detail, errors}."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import portal.urls
from accounts.models import User
from accounts.services import api_token_create, api_token_revoke
from api.tests.conftest import bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
ERROR_KEYS = {"status", "code", "detail", "errors"}


def french(message: str) -> str:
    """The message as the portal (French first) answers it, whatever the catalogue holds."""
    with translation.override("fr"):
        return gettext(message)


def test_no_credentials_is_a_401_with_a_bearer_challenge(client: Client) -> None:
    response = client.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "detail": french("Authentication credentials were not provided."),
        "errors": {},
    }


def test_a_revoked_key_is_a_401(client: Client, user: User) -> None:
    token, key = api_token_create(user=user, name="old")
    api_token_revoke(token=token, acting_user=user)

    response = client.get(ME, headers=bearer(key))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "status": 401,
        "code": "authentication_failed",
        "detail": french("Invalid or revoked API key."),
        "errors": {},
    }


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer two words", "Token", "Bearer plr_not-a-real-key"]
)
def test_a_bad_authorization_header_is_a_401(client: Client, key: str, header: str) -> None:
    response = client.get(ME, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["status"] == 401
    assert body["code"] == "authentication_failed"
    assert body["detail"]


def test_an_unknown_endpoint_is_a_json_404(client: Client, key: str) -> None:
    for response in (client.get("/api/v1/nope/"), client.get("/api/v1/nope/", headers=bearer(key))):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "status": 404,
            "code": "not_found",
            "detail": french("No such API endpoint."),
            "errors": {},
        }


def test_an_unknown_page_outside_the_api_is_still_the_html_404(client: Client) -> None:
    response = client.get("/nope/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_wrong_method_is_a_405_in_the_format(client: Client, key: str) -> None:
    response = client.put(ME, {}, "application/json", headers=bearer(key))

    assert response.status_code == 405
    assert response.json() == {
        "status": 405,
        "code": "method_not_allowed",
        "detail": french('Method "{method}" not allowed.').format(method="PUT"),
        "errors": {},
    }


def test_invalid_fields_are_a_400_naming_each_field(client: Client, key: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post("/api/v1/tokens/", {"name": ""}, "application/json", headers=bearer(key))

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "detail": "Some fields are not valid.",
        "errors": {"name": ["Give the key a name, to recognise it later."]},
    }


def test_a_body_that_is_not_json_is_a_400(client: Client, key: str) -> None:
    response = client.post("/api/v1/tokens/", "{not json", "application/json", headers=bearer(key))

    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "parse_error"
    assert body["errors"] == {}


def test_an_unsupported_media_type_is_a_415(client: Client, key: str) -> None:
    response = client.post("/api/v1/tokens/", "name=x", "text/plain", headers=bearer(key))

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


class Boom(APIView):
    permission_classes = []

    def get(self, request: Request) -> Response:
        raise RuntimeError("a bug")


urlpatterns = [path("api/v1/boom/", Boom.as_view()), *portal.urls.urlpatterns]
handler404 = portal.urls.handler404
handler500 = portal.urls.handler500


@pytest.mark.urls("portal.tests.test_errors")
def test_a_crash_under_the_api_is_a_json_500() -> None:
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/boom/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 500,
        "code": "server_error",
        "detail": french("Something went wrong on our side. The team has been told."),
        "errors": {},
    }


def test_the_500_handler_answers_pages_in_html_and_the_api_in_json() -> None:
    factory = RequestFactory()

    api = portal.urls.handler500(factory.get("/api/v1/submissions/"))
    page = portal.urls.handler500(factory.get("/soumissions/"))

    assert api.status_code == 500
    assert api["Content-Type"] == "application/json"
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_the_api_answers_in_the_language_a_program_asks_for(client: Client) -> None:
    # Given no credentials, when a program asks in English, French, or says nothing
    english = client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    french_answer = client.get(ME, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    unspecified = client.get(ME)

    # Then the message is in the language asked for, French by default
    assert english.json()["detail"] == "Authentication credentials were not provided."
    assert french_answer.json()["detail"] == french("Authentication credentials were not provided.")
    assert unspecified.json()["detail"] == french_answer.json()["detail"]
    assert english.json()["detail"] != french_answer.json()["detail"]


def test_pages_stay_french_whatever_the_browser_says(client: Client) -> None:
    # Given a browser that prefers English, when it opens a page
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    # Then the portal speaks French until the person picks English with the switch
    assert response.headers["Content-Language"] == "fr"
