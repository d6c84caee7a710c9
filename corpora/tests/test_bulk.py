"""The bulk actions of the lists of submissions (delete, add to a corpus, export), with the
corpora rules: what each role may do with the ticked rows, and what the page then says."""

import csv
import io
import json
import uuid

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Submission
from annotation.services import submissions_delete
from annotation.tests.api_fixtures import Cast, audio_done, cast_create, text_done
from annotation.tests.factories import SubmissionFactory
from corpora.models import Corpus
from corpora.services.corpora import corpus_submissions_add_allowed

pytestmark = pytest.mark.django_db

URL = reverse("corpora:submissions_bulk")
ROLES = ["author", "corpus_owner", "viewer", "annotator", "reviewer", "other"]


@pytest.fixture
def cast() -> Cast:
    return cast_create()


def client_for(user: User) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the tests read messages
    client.force_login(user)
    return client


def post(user: User, action: str, *ids: object, **extra: str) -> tuple[object, list[str]]:
    response = client_for(user).post(
        URL, {"action": action, "submissions": [str(i) for i in ids], **extra}
    )
    return response, [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("role", "deleted"),
    [
        ("author", True),
        ("corpus_owner", True),
        ("viewer", False),
        ("annotator", False),
        ("reviewer", False),
        ("other", False),
    ],
)
def test_bulk_delete_follows_the_corpus_rules(cast: Cast, role: str, deleted: bool) -> None:
    submission = text_done(cast.author, corpus=cast.corpus)
    response, notes = post(cast.person(role), "delete", submission.public_id)  # type: ignore[arg-type]
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Submission.objects.filter(pk=submission.pk).exists() is not deleted
    if deleted:
        assert notes == ["1 submission was deleted."]
    elif role == "other":  # cannot see it: the same as a missing one
        assert notes == [
            "1 selected submission was not found: it was deleted, or you cannot see it."
        ]
    else:
        assert notes == [
            "1 submission was not deleted: only its author or the corpus owner may delete it."
        ]


def test_bulk_delete_of_a_mixed_selection_says_what_happened_to_each(cast: Cast) -> None:
    own = SubmissionFactory.create(user=cast.viewer)
    own_audio = audio_done(cast.viewer)
    shared = text_done(cast.author, corpus=cast.corpus)  # the viewer reads it, may not delete it
    private = SubmissionFactory.create(user=cast.other)
    ids = [own.public_id, own_audio.public_id, shared.public_id, private.public_id, uuid.uuid4()]
    response, notes = post(cast.viewer, "delete", *ids, "not-an-id", own.public_id)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert set(Submission.objects.values_list("pk", flat=True)) == {shared.pk, private.pk}
    assert notes == [
        "3 selected submissions were not found: they were deleted, or you cannot see them.",
        "2 submissions were deleted.",
        "1 submission was not deleted: only its author or the corpus owner may delete it.",
    ]
    # A second click: nothing more is lost, nothing breaks.
    again, notes = post(cast.viewer, "delete", own.public_id, own_audio.public_id)
    assert again.status_code == 302  # type: ignore[attr-defined]
    assert notes == [
        "2 selected submissions were not found: they were deleted, or you cannot see them."
    ]


def test_the_corpus_owner_deletes_anyones_submissions_of_the_corpus(cast: Cast) -> None:
    rows = [text_done(person, corpus=cast.corpus) for person in (cast.author, cast.reviewer)]
    outside = SubmissionFactory.create(user=cast.author)  # the author's, in no corpus
    _, notes = post(cast.corpus_owner, "delete", *(s.public_id for s in [*rows, outside]))
    assert list(Submission.objects.all()) == [outside]
    assert notes[0].startswith("1 selected submission was not found")
    assert notes[1] == "2 submissions were deleted."


@pytest.mark.parametrize("role", ["author", "annotator", "reviewer", "corpus_owner"])
def test_bulk_add_puts_ones_own_submissions_in_a_corpus_where_one_may_add(
    cast: Cast, role: str
) -> None:
    person = cast.person(role)
    assert person is not None
    loose = [SubmissionFactory.create(user=person) for _ in range(2)]
    response, notes = post(
        person, "add", *(s.public_id for s in loose), corpus=str(cast.corpus.public_id)
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert all(s.corpus_id == cast.corpus.pk for s in Submission.objects.filter(user=person))
    assert notes == ["2 submissions were added to the corpus “Réunions”."]
    # A second click changes nothing.
    _, notes = post(person, "add", *(s.public_id for s in loose), corpus=str(cast.corpus.public_id))
    assert notes == ["2 submissions were already in this corpus."]


@pytest.mark.parametrize("role", ["viewer", "other"])
def test_bulk_add_is_refused_where_one_may_not_add(cast: Cast, role: str) -> None:
    person = cast.person(role)
    assert person is not None
    loose = SubmissionFactory.create(user=person)
    _, notes = post(person, "add", loose.public_id, corpus=str(cast.corpus.public_id))
    assert Submission.objects.get(pk=loose.pk).corpus_id is None
    assert notes == ["Choose a corpus in which you may add submissions."]


def test_bulk_add_leaves_others_and_those_of_another_corpus(cast: Cast) -> None:
    mine = SubmissionFactory.create(user=cast.annotator)
    elsewhere_corpus = Corpus.objects.create(owner=cast.annotator, name="Ailleurs")
    elsewhere = SubmissionFactory.create(user=cast.annotator, corpus=elsewhere_corpus)
    theirs = text_done(cast.author, corpus=elsewhere_corpus)  # seen as the corpus's owner
    _, notes = post(
        cast.annotator,
        "add",
        mine.public_id,
        elsewhere.public_id,
        theirs.public_id,
        corpus=str(cast.corpus.public_id),
    )
    assert Submission.objects.get(pk=mine.pk).corpus_id == cast.corpus.pk
    assert Submission.objects.get(pk=elsewhere.pk).corpus_id == elsewhere_corpus.pk
    assert Submission.objects.get(pk=theirs.pk).corpus_id == elsewhere_corpus.pk
    assert notes == [
        "1 submission was added to the corpus “Réunions”.",
        "1 submission was not added: only its author may add it to a corpus.",
        "1 submission was not added: it is in another corpus; remove it from there first.",
    ]


def test_bulk_add_to_a_foreign_or_malformed_corpus_is_refused(cast: Cast) -> None:
    loose = SubmissionFactory.create(user=cast.other)
    foreign = Corpus.objects.create(owner=UserFactory.create(), name="Pas à moi")
    for corpus in [str(foreign.public_id), "pas-un-id", ""]:
        response, notes = post(cast.other, "add", loose.public_id, corpus=corpus)
        assert response.status_code == 302  # type: ignore[attr-defined]
        assert notes == ["Choose a corpus in which you may add submissions."]
    assert Submission.objects.get(pk=loose.pk).corpus_id is None


@pytest.mark.parametrize("role", ["author", "corpus_owner", "viewer", "annotator", "reviewer"])
def test_bulk_export_gives_what_the_person_may_view(cast: Cast, role: str) -> None:
    shared = text_done(cast.author, corpus=cast.corpus)
    audio = audio_done(cast.author, corpus=cast.corpus)
    private = SubmissionFactory.create(user=cast.other, text="Privé.")
    person = cast.person(role)
    assert person is not None
    ids = [shared.public_id, audio.public_id, private.public_id]
    response, _ = post(person, "jsonl", *ids)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]  # type: ignore[index]
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = [json.loads(line) for line in body.splitlines()]
    assert [row["id"] for row in rows] == [str(shared.public_id), str(audio.public_id)]
    assert [(row["kind"], row["label"]) for row in rows] == [
        ("text", "familier"),
        ("audio", "neutre"),
    ]
    assert rows[1]["text"] == "Bonjour à tous, on va commencer la réunion."
    assert all(row["created_at"] and row["finished_at"] for row in rows)
    assert {row["corpus"] for row in rows} == {"Réunions"}


def test_bulk_export_as_csv(cast: Cast) -> None:
    shared = text_done(cast.author, corpus=cast.corpus)
    response, _ = post(cast.viewer, "csv", shared.public_id)
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [(row["id"], row["kind"], row["label"]) for row in rows] == [
        (str(shared.public_id), "text", "familier")
    ]
    assert rows[0]["text"] == shared.text


def test_bulk_export_of_nothing_visible_goes_back_with_a_message(cast: Cast) -> None:
    shared = text_done(cast.author, corpus=cast.corpus)
    response, notes = post(cast.other, "csv", shared.public_id, uuid.uuid4())
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert notes == [
        "2 selected submissions were not found: they were deleted, or you cannot see them."
    ]


def test_a_bulk_post_without_action_or_rows_goes_back_with_a_message(cast: Cast) -> None:
    own = SubmissionFactory.create(user=cast.other)
    back = reverse("annotation:submission_list") + "?q=chanson&page=2"
    response, notes = post(cast.other, "", own.public_id, next=back)
    assert response["Location"] == back  # type: ignore[index]
    assert notes == ["Choose an action for the selected submissions."]
    response, notes = post(cast.other, "delete", next=back)
    assert notes == ["Select at least one submission."]
    assert Submission.objects.filter(pk=own.pk).exists()


def test_a_bulk_post_goes_back_only_to_this_site(cast: Cast) -> None:
    response, _ = post(cast.other, "delete", uuid.uuid4(), next="https://evil.example/")
    assert response["Location"] == reverse("annotation:submission_list")  # type: ignore[index]


def test_bulk_actions_need_a_login_and_a_post(client: Client, cast: Cast) -> None:
    response = client.post(URL, {"action": "delete"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_for(cast.other).get(URL).status_code == 405


def test_bulk_posts_need_the_csrf_token(cast: Cast) -> None:
    own = SubmissionFactory.create(user=cast.other)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.other)
    response = client.post(URL, {"action": "delete", "submissions": [str(own.public_id)]})
    assert response.status_code == 403
    assert Submission.objects.filter(pk=own.pk).exists()


def test_the_lists_show_the_bulk_form(cast: Cast) -> None:
    text_done(cast.annotator, corpus=cast.corpus)
    client = client_for(cast.annotator)
    mine = client.get(reverse("annotation:submission_list")).content.decode()
    assert f'action="{URL}"' in mine
    assert 'form="bulk" name="submissions"' in mine
    assert 'value="add"' in mine  # the annotator may add to the corpus
    assert str(cast.corpus.public_id) in mine
    page = client.get(reverse("corpora:corpus_detail", args=[cast.corpus.public_id]))
    content = page.content.decode()
    assert 'form="bulk" name="submissions"' in content
    assert 'value="add"' not in content  # its rows are in this corpus already
    assert 'value="delete"' in content


def test_the_messages_are_in_french_by_default(cast: Cast) -> None:
    own = SubmissionFactory.create(user=cast.viewer)
    shared = text_done(cast.author, corpus=cast.corpus)
    client = Client()
    client.force_login(cast.viewer)
    response = client.post(
        URL,
        {"action": "delete", "submissions": [str(own.public_id), str(shared.public_id)]},
        follow=True,
    )
    content = response.content.decode()
    assert "1 soumission a été supprimée." in content
    assert (
        "1 soumission n\u2019a pas été supprimée\u00a0: seuls son auteur ou le propriétaire du "
        "corpus peuvent la supprimer." in content
    )


def test_the_services_check_the_rules_on_their_own(cast: Cast) -> None:
    """Without the view: a viewer may not add to the corpus, nor delete others' rows in it."""
    own = SubmissionFactory.create(user=cast.viewer)
    with pytest.raises(PermissionDenied):
        corpus_submissions_add_allowed(
            corpus=cast.corpus, submissions=[own], acting_user=cast.viewer
        )
    assert Submission.objects.get(pk=own.pk).corpus_id is None
    shared = text_done(cast.author, corpus=cast.corpus)
    deleted, refused = submissions_delete(submissions=[own, shared], acting_user=cast.viewer)
    assert (deleted, refused) == ([own], [shared])
    assert list(Submission.objects.all()) == [shared]
