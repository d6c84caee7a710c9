import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import ADMINISTRATOR, MEMBER, REVIEWER
from accounts.services import user_create, user_roles, user_set_role
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_roles_exist_with_their_permissions() -> None:
    permissions = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert {"add_submission", "view_submission"} <= permissions[MEMBER]
    assert "change_prediction" not in permissions[MEMBER]
    assert {"view_submission", "change_prediction"} <= permissions[REVIEWER]
    assert {"delete_user", "change_submission", "delete_prediction"} <= permissions[ADMINISTRATOR]


def test_sign_up_creates_a_member_and_logs_in(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {
            "email": "Camille@Example.org",
            "display_name": "Camille",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("annotation:submission_new")
    user = User.objects.get(email="Camille@example.org")
    assert user_roles(user=user) == [MEMBER]
    assert not user.is_staff
    assert client.get(reverse("profile")).status_code == 200


def test_sign_up_with_a_taken_email_is_refused_with_a_message(client: Client, user: User) -> None:
    response = client.post(
        reverse("signup"),
        {"email": user.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    assert "Un compte existe déjà pour cette adresse e-mail." in response.content.decode()
    assert User.objects.filter(email=user.email).count() == 1


def test_an_address_differing_only_in_capitals_is_the_same_account(
    client: Client, user: User
) -> None:
    response = client.post(
        reverse("signup"),
        {"email": user.email.upper(), "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    assert "Un compte existe déjà pour cette adresse e-mail." in response.content.decode()
    login = client.post(reverse("login"), {"username": user.email.upper(), "password": PASSWORD})
    assert login.status_code == 302


def test_sign_up_with_a_weak_password_is_refused(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {"email": "a@example.org", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="a@example.org").exists()


def test_log_in_and_out(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    client.post(reverse("logout"))
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_sends_a_working_link(client: Client, user: User) -> None:
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "another long passphrase 42"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_change(client: Client, user: User) -> None:
    client.force_login(user)
    new_password = "a new long passphrase 7"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_profile_shows_roles_and_saves_display_name(member_client: Client, user: User) -> None:
    page = member_client.get(reverse("profile"))
    assert "Membre" in page.content.decode()
    response = member_client.post(reverse("profile"), {"display_name": "  Dominique  "})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Dominique"


def test_interface_is_french_first_and_english_on_request(client: Client) -> None:
    # French even for a browser that prefers English: only the switch changes the language.
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Créer un compte" in home.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Create an account" in client.get(reverse("home")).content.decode()


def test_user_set_role_makes_reviewers_staff() -> None:
    user = user_create(email="r@example.org", password=PASSWORD)
    user_set_role(user=user, role=REVIEWER, acting_user=None)
    assert user_roles(user=user) == [REVIEWER]
    assert user.is_staff
    user_set_role(user=user, role=MEMBER, acting_user=None)
    assert user_roles(user=user) == [MEMBER]
    assert not user.is_staff
    with pytest.raises(ValueError, match="Unknown role"):
        user_set_role(user=user, role="king", acting_user=None)


def test_set_role_command() -> None:
    user = UserFactory.create()
    call_command("set_role", user.email.upper(), ADMINISTRATOR)
    user.refresh_from_db()
    assert user_roles(user=user) == [ADMINISTRATOR]
    assert user.is_staff


def test_admin_lists_users_with_filters_and_search(admin_client: Client, user: User) -> None:
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": user.email})
    assert response.status_code == 200
    assert user.email in response.content.decode()
    add = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "added@example.org",
            "display_name": "Added",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert add.status_code == 302
    assert user_roles(user=User.objects.get(email="added@example.org")) == [MEMBER]
