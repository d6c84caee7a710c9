"""A person's vocabulary: typed on the profile page, kept tidy, refused over its limits."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from common.vocabulary import VOCABULARY_MAX_TERMS, vocabulary_clean, vocabulary_terms


def test_terms_are_split_tidied_and_kept_once_in_order():
    text = " Quimperlé \r\nMaëlys   Kerbrat; Ouessant,quimperlé\n\n"

    assert vocabulary_terms(text) == ["Quimperlé", "Maëlys Kerbrat", "Ouessant"]
    assert vocabulary_clean(text) == "Quimperlé\nMaëlys Kerbrat\nOuessant"


def test_too_many_terms_are_refused_not_cut():
    text = "\n".join(f"terme {n}" for n in range(VOCABULARY_MAX_TERMS + 1))

    with pytest.raises(ValidationError) as error:
        vocabulary_clean(text)

    assert error.value.code == "too_many"


def test_a_term_too_long_is_refused():
    with pytest.raises(ValidationError) as error:
        vocabulary_clean("x" * 61)

    assert error.value.code == "too_long"


@pytest.mark.django_db
def test_the_profile_page_saves_the_vocabulary(member_client: Client, user: User):
    response = member_client.post(
        reverse("profile"), {"display_name": "Camille", "vocabulary": "Quimperlé\nOuessant\n"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.vocabulary == "Quimperlé\nOuessant"
    page = member_client.get(reverse("profile")).content.decode()
    assert "Quimperlé" in page


@pytest.mark.django_db
def test_the_profile_page_says_why_a_vocabulary_is_refused(member_client: Client, user: User):
    text = "\n".join(f"terme {n}" for n in range(VOCABULARY_MAX_TERMS + 1))

    response = member_client.post(
        reverse("profile"),
        {"display_name": "Camille", "vocabulary": text},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    assert f"au plus {VOCABULARY_MAX_TERMS} termes" in response.content.decode()
    user.refresh_from_db()
    assert user.vocabulary == ""
