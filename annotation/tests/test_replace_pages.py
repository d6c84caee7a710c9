"""The find-and-replace pages (a transcript's, a corpus's) and undoing one change from history."""

import pytest
from django.test import Client

from accounts.models import User
from annotation.models import Segment, Submission, TranscriptRevision
from annotation.tests.api_fixtures import audio_done, cast_create

pytestmark = pytest.mark.django_db


def page(submission: Submission) -> str:
    return f"/soumissions/{submission.public_id}/remplacer/"


def client_for(user: User) -> Client:
    client = Client()  # the pages speak French
    client.force_login(user)
    return client


def segment_text(submission: Submission, index: int) -> str:
    return Segment.objects.get(transcript__submission=submission, index=index).text


def test_the_preview_highlights_the_matches_and_changes_nothing(user: User) -> None:
    submission = audio_done(user)

    response = client_for(user).get(page(submission), {"find": "réunion", "replace": "séance"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="replace-match">réunion</mark>' in html
    assert '<mark class="replace-match">séance</mark>' in html
    assert f'name="version" value="{submission.public_id}:1"' in html
    assert segment_text(submission, 1) == "on va commencer la réunion."


def test_an_empty_search_says_what_is_missing(user: User) -> None:
    response = client_for(user).get(page(audio_done(user)), {"find": "", "replace": "x"})

    assert response.status_code == 400
    assert "Saisissez le texte à rechercher." in response.content.decode()


def test_applying_changes_the_segments_and_links_to_the_history(user: User) -> None:
    submission = audio_done(user)
    body = {"find": "réunion", "replace": "séance", "version": f"{submission.public_id}:1"}

    response = client_for(user).post(page(submission), body)

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 segment modifié." in html
    assert f"/soumissions/{submission.public_id}/historique/" in html
    assert segment_text(submission, 1) == "on va commencer la séance."


def test_a_viewer_may_not_open_the_page_and_an_outsider_does_not_see_it() -> None:
    cast = cast_create()
    submission = audio_done(cast.author, corpus=cast.corpus)
    corpus_page = f"/corpus/{cast.corpus.public_id}/remplacer/"

    assert client_for(cast.viewer).get(page(submission)).status_code == 403
    assert client_for(cast.viewer).get(corpus_page).status_code == 403
    assert client_for(cast.other).post(page(submission), {"find": "on"}).status_code == 404
    assert client_for(cast.other).get(corpus_page).status_code == 404
    assert client_for(cast.annotator).get(corpus_page).status_code == 200


def test_the_corpus_page_replaces_in_every_transcript_of_the_corpus() -> None:
    cast = cast_create()
    first = audio_done(cast.author, corpus=cast.corpus)
    second = audio_done(cast.corpus_owner, corpus=cast.corpus)
    versions = [f"{s.public_id}:1" for s in (first, second)]

    response = client_for(cast.annotator).post(
        f"/corpus/{cast.corpus.public_id}/remplacer/",
        {"find": "Bonjour", "replace": "Salut", "whole_word": "on", "version": versions},
    )

    assert "2 segments modifiés." in response.content.decode()
    assert segment_text(first, 0) == segment_text(second, 0) == "Salut à tous,"
    detail = client_for(cast.annotator).get(f"/corpus/{cast.corpus.public_id}/")
    assert f"/corpus/{cast.corpus.public_id}/remplacer/" in detail.content.decode()
    detail = client_for(cast.viewer).get(f"/corpus/{cast.corpus.public_id}/")
    assert "/remplacer/" not in detail.content.decode()


def test_undoing_one_change_from_the_history(user: User) -> None:
    submission = audio_done(user)
    client = client_for(user)
    client.post(page(submission), {"find": "o", "replace": "0"})
    history = f"/soumissions/{submission.public_id}/historique/"
    assert "Annuler la version 3" in client.get(history).content.decode()

    response = client.post(f"{history}2/defaire/", follow=True)

    assert "Version 2 annulée" in response.content.decode()
    assert segment_text(submission, 0) == "Bonjour à tous,"
    assert segment_text(submission, 1) == "0n va c0mmencer la réuni0n."
    assert list(
        TranscriptRevision.objects.order_by("version").values_list("version", flat=True)
    ) == [
        2,
        3,
        4,
    ]
    html = client.get(history).content.decode()
    assert "Annuler la version 2" not in html  # its segment reads what version 4 wrote
    assert "Annuler la version 4" in html


def test_a_viewer_cannot_undo() -> None:
    cast = cast_create()
    submission = audio_done(cast.author, corpus=cast.corpus)
    client_for(cast.author).post(page(submission), {"find": "o", "replace": "0"})
    history = f"/soumissions/{submission.public_id}/historique/"

    assert "Annuler la version" not in client_for(cast.viewer).get(history).content.decode()
    assert client_for(cast.viewer).post(f"{history}2/defaire/").status_code == 403
    assert segment_text(submission, 0) == "B0nj0ur à t0us,"
