"""French pages in French typography, figures grouped the language's way (issue 19).

French puts a no-break space before a colon (U+00A0) and a narrow one before ? ; ! (U+202F);
English puts none. A count of a thousand or more reads "1 200" in French (a no-break space,
Django's separator) and "1,200" in English.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from annotation.models import Submission
from corpora.tests.factories import CorpusFactory

pytestmark = pytest.mark.django_db


def _page(client: Client, path: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_french_page_has_no_break_spaces_before_a_question_mark_and_a_colon(
    client: Client,
) -> None:
    french = _page(client, reverse("login"), "fr")
    assert "Mot de passe oublié\u202f?" in french
    assert "Mot de passe oublié ?" not in french
    assert "annotation automatique du français\u00a0: registre" in french

    english = _page(client, reverse("login"), "en")
    assert "Forgot your password?" in english


def test_a_count_of_a_thousand_or_more_is_grouped_the_languages_way(
    client: Client, user: User
) -> None:
    corpus = CorpusFactory.create(owner=user)
    Submission.objects.bulk_create(
        [Submission(user=user, corpus=corpus, text=f"Texte {n}.") for n in range(1200)]
    )
    client.force_login(user)
    detail = reverse("corpora:corpus_detail", args=[corpus.public_id])
    listing = reverse("corpora:corpus_list")

    assert "<dd>1\u00a0200</dd>" in _page(client, detail, "fr")
    assert "<td>1\u00a0200</td>" in _page(client, listing, "fr")
    assert "<dd>1,200</dd>" in _page(client, detail, "en")
    assert "<td>1,200</td>" in _page(client, listing, "en")
    # The import help's limits too, which were grouped the French way in every language.
    assert f"{settings.PARLURE_TEXT_MAX_CHARS:,}" in _page(client, detail, "en")
