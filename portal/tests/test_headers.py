"""Every answer carries a strict Content-Security-Policy and a Permissions-Policy."""

import pytest
from django.test import Client
from django.urls import reverse


def directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/compte/login/", "/api/v1/me/"])
def test_pages_allow_scripts_from_the_portal_s_own_files_only(client: Client, url: str) -> None:
    response = client.get(url)

    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


@pytest.mark.django_db
def test_the_microphone_is_allowed_to_the_portal_itself_only(client: Client) -> None:
    response = client.get(reverse("healthz"))

    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    assert features["microphone"] == "(self)"
    assert features["camera"] == "()"
    assert features["geolocation"] == "()"


@pytest.mark.django_db
def test_the_api_readers_relax_styles_for_themselves_only(client: Client) -> None:
    docs = directives(client.get("/api/v1/docs/")["Content-Security-Policy"])
    page = directives(client.get("/")["Content-Security-Policy"])

    assert "'unsafe-inline'" in docs["style-src"]
    assert docs["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in page["style-src"]
