"""Log-in errors and the admin read as French written for Parlure."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_wrong_password_gets_a_french_message_that_agrees(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": user.email, "password": "wrong"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte." in page
    assert "Saisissez un adresse" not in page


def test_the_admin_is_branded_parlure(admin_client: Client) -> None:
    page = admin_client.get("/admin/").content.decode()

    assert "Administration de Parlure" in page
    assert "Administration de Django" not in page


def test_favicon_ico_leads_to_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    assert client.get(response["Location"]).status_code == 200
