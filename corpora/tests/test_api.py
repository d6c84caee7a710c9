import json
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_create
from accounts.tests.factories import UserFactory
from annotation.models import Submission
from annotation.tests.factories import SubmissionFactory, done_submission
from common.vocabulary import VOCABULARY_MAX_TERMS
from corpora.models import Corpus, CorpusMember, ImportBatch
from corpora.tests.factories import CorpusFactory, CorpusMemberFactory, ImportBatchFactory

pytestmark = pytest.mark.django_db


def api(user: User) -> APIClient:
    """A client authenticated as the person, reading messages in English."""
    client = APIClient()
    client.force_authenticate(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def path(name: str, *args: object) -> str:
    return reverse(f"api:{name}", args=list(args))


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


def test_an_api_key_reaches_the_corpora(user: User) -> None:
    CorpusFactory.create(owner=user, name="Par clé")
    _token, key = api_token_create(user=user, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [c["name"] for c in results(client.get(path("corpus_list")))] == ["Par clé"]


def test_without_credentials_the_api_answers_401() -> None:
    response = APIClient().get(path("corpus_list"))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_list_gives_my_role_in_each_corpus(user: User) -> None:
    mine = CorpusFactory.create(owner=user, name="A")
    SubmissionFactory.create_batch(2, corpus=mine)
    shared = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.REVIEWER).corpus
    CorpusFactory.create()
    listed = {
        c["id"]: (c["role"], c["submission_count"])
        for c in results(api(user).get(path("corpus_list")))
    }
    assert listed == {str(mine.public_id): ("owner", 2), str(shared.public_id): ("reviewer", 0)}


def test_the_list_filters_by_role_and_name(user: User) -> None:
    CorpusFactory.create(owner=user, name="Courriers de la mairie")
    CorpusFactory.create(owner=user, name="Entretiens")
    CorpusMemberFactory.create(
        user=user, role=CorpusMember.Role.VIEWER, corpus__name="Courriers privés"
    )
    client = api(user)
    by_name = results(client.get(path("corpus_list"), {"name": "COURRIERS"}))
    by_role = results(client.get(path("corpus_list"), {"role": "viewer"}))
    both = results(client.get(path("corpus_list"), {"name": "courriers", "role": "owner"}))
    assert sorted(c["name"] for c in by_name) == ["Courriers de la mairie", "Courriers privés"]
    assert [c["name"] for c in by_role] == ["Courriers privés"]
    assert [c["name"] for c in both] == ["Courriers de la mairie"]


def test_an_unknown_role_filter_is_a_400(user: User) -> None:
    response = api(user).get(path("corpus_list"), {"role": "boss"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "role" in response.json()["errors"]


def test_creating_a_corpus(user: User) -> None:
    response = api(user).post(path("corpus_list"), {"name": " Entretiens ", "description": "x"})
    corpus = Corpus.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": str(corpus.public_id),
        "name": "Entretiens",
        "description": "x",
        "owner": user.email,
        "role": "owner",
        "submission_count": 0,
        "vocabulary": [],
        "created_at": response.json()["created_at"],
        "updated_at": response.json()["updated_at"],
    }


def test_creating_a_corpus_with_a_blank_name_is_a_400_on_name(user: User) -> None:
    response = api(user).post(path("corpus_list"), {"name": ""})
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["Give the corpus a name."]}
    assert not Corpus.objects.exists()


def test_creating_a_corpus_with_an_overlong_description_is_a_400(user: User) -> None:
    response = api(user).post(path("corpus_list"), {"name": "n", "description": "d" * 5001})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "description": ["The description is limited to 5000 characters."]
    }


def test_patching_only_the_name_keeps_the_description(user: User) -> None:
    corpus = CorpusFactory.create(owner=user, name="Old", description="Kept")
    response = api(user).patch(path("corpus_detail", corpus.public_id), {"name": "New"})
    corpus.refresh_from_db()
    assert response.status_code == 200
    assert (corpus.name, corpus.description) == ("New", "Kept")
    assert response.json()["name"] == "New"


def test_creating_a_corpus_with_a_vocabulary(user: User) -> None:
    body = {"name": "Bretagne", "vocabulary": ["Quimperlé", "Ouessant", "quimperlé"]}
    response = api(user).post(path("corpus_list"), body, format="json")
    assert response.status_code == 201
    assert response.json()["vocabulary"] == ["Quimperlé", "Ouessant"]
    assert Corpus.objects.get().vocabulary == "Quimperlé\nOuessant"


def test_creating_a_corpus_with_a_vocabulary_too_long_is_a_400(user: User) -> None:
    body = {"name": "Bretagne", "vocabulary": [f"terme {n}" for n in range(51)]}
    response = api(user).post(path("corpus_list"), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["vocabulary"]
    assert not Corpus.objects.exists()


def test_the_owner_sets_the_corpus_vocabulary(user: User) -> None:
    corpus = CorpusFactory.create(owner=user, name="Bretagne")
    response = api(user).patch(
        path("corpus_detail", corpus.public_id), {"vocabulary": ["Quimperlé", " Ouessant "]}
    )
    corpus.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["vocabulary"] == ["Quimperlé", "Ouessant"]
    assert corpus.vocabulary == "Quimperlé\nOuessant"
    assert corpus.name == "Bretagne"


def test_a_vocabulary_over_its_limits_is_a_400_and_changes_nothing(user: User) -> None:
    corpus = CorpusFactory.create(owner=user, vocabulary="Ouessant")
    too_many = [f"terme {n}" for n in range(VOCABULARY_MAX_TERMS + 1)]
    for body in ({"vocabulary": too_many}, {"vocabulary": ["x" * 61]}, {"vocabulary": "Ouessant"}):
        response = api(user).patch(path("corpus_detail", corpus.public_id), body, format="json")
        assert response.status_code == 400, body
        assert all(key.startswith("vocabulary") for key in response.json()["errors"])
    corpus.refresh_from_db()
    assert corpus.vocabulary == "Ouessant"


def test_deleting_a_corpus_deletes_its_submissions(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    SubmissionFactory.create_batch(2, corpus=corpus)
    response = api(user).delete(path("corpus_detail", corpus.public_id))
    assert response.status_code == 204
    assert not Corpus.objects.exists()
    assert not Submission.objects.exists()


def test_a_malformed_corpus_id_is_a_404(user: User) -> None:
    response = api(user).get(f"/api/v1/corpora/{uuid.uuid4().hex[:10]}/")
    assert response.status_code == 404


def test_members_are_listed_in_the_order_they_were_added(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    first = CorpusMemberFactory.create(corpus=corpus, role=CorpusMember.Role.REVIEWER)
    second = CorpusMemberFactory.create(corpus=corpus)
    listed = results(api(user).get(path("corpus_member_list", corpus.public_id)))
    assert [(m["id"], m["email"], m["role"]) for m in listed] == [
        (first.pk, first.user.email, "reviewer"),
        (second.pk, second.user.email, "viewer"),
    ]


def test_adding_a_member(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    person = UserFactory.create(email="dominique@example.org", display_name="Dominique")
    response = api(user).post(
        path("corpus_member_list", corpus.public_id),
        {"email": "dominique@example.org", "role": "annotator"},
    )
    member = CorpusMember.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": member.pk,
        "email": person.email,
        "display_name": "Dominique",
        "role": "annotator",
        "added_at": response.json()["added_at"],
    }


def test_adding_an_unknown_address_is_a_400_on_email(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).post(
        path("corpus_member_list", corpus.public_id), {"email": "x@example.org", "role": "viewer"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"email": ["There is no account with this address."]}


def test_adding_with_an_unknown_role_is_a_400_on_role(user: User, other_user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).post(
        path("corpus_member_list", corpus.public_id), {"email": other_user.email, "role": "owner"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]


def test_changing_a_role_and_removing_a_member(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    changed, removed = CorpusMemberFactory.create_batch(2, corpus=corpus)
    client = api(user)
    patched = client.patch(
        path("corpus_member_detail", corpus.public_id, changed.pk), {"role": "reviewer"}
    )
    deleted = client.delete(path("corpus_member_detail", corpus.public_id, removed.pk))
    assert (patched.status_code, patched.json()["role"]) == (200, "reviewer")
    assert deleted.status_code == 204
    assert list(CorpusMember.objects.values_list("pk", "role")) == [(changed.pk, "reviewer")]


def test_a_member_leaves_the_corpus(user: User) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.VIEWER)
    client = api(user)
    response = client.delete(path("corpus_member_detail", member.corpus.public_id, member.pk))
    assert response.status_code == 204
    assert not CorpusMember.objects.exists()
    assert client.get(path("corpus_detail", member.corpus.public_id)).status_code == 404


def test_a_member_of_another_corpus_is_a_404_here(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    elsewhere = CorpusMemberFactory.create()
    response = api(user).delete(path("corpus_member_detail", corpus.public_id, elsewhere.pk))
    assert response.status_code == 404
    assert CorpusMember.objects.filter(pk=elsewhere.pk).exists()


def test_adding_own_submissions(user: User) -> None:
    corpus = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.ANNOTATOR).corpus
    first, second = SubmissionFactory.create_batch(2, user=user)
    response = api(user).post(
        path("corpus_submissions", corpus.public_id),
        {"submissions": [str(first.public_id), str(second.public_id)]},
    )
    assert response.status_code == 200
    assert response.json()["corpus"] == str(corpus.public_id)
    assert set(response.json()["submissions"]) == {str(first.public_id), str(second.public_id)}
    assert set(Submission.objects.filter(corpus=corpus)) == {first, second}


@pytest.mark.parametrize("whose", ["someone else's", "missing"])
def test_adding_a_submission_that_is_not_mine_is_a_400(
    user: User, other_user: User, whose: str
) -> None:
    corpus = CorpusFactory.create(owner=user)
    mine = SubmissionFactory.create(user=user)
    other_id = (
        SubmissionFactory.create(user=other_user).public_id if whose != "missing" else uuid.uuid4()
    )
    response = api(user).post(
        path("corpus_submissions", corpus.public_id),
        {"submissions": [str(mine.public_id), str(other_id)]},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "submissions": ["Only your own submissions can be added to a corpus."]
    }
    assert not Submission.objects.filter(corpus=corpus).exists()


def test_adding_a_submission_of_another_corpus_is_a_400(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    elsewhere = SubmissionFactory.create(user=user, corpus=CorpusFactory.create(owner=user))
    response = api(user).post(
        path("corpus_submissions", corpus.public_id), {"submissions": [str(elsewhere.public_id)]}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "submissions": [
            "1 of these submissions is already in another corpus; remove it from there first."
        ]
    }


def test_adding_no_submission_is_a_400(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).post(path("corpus_submissions", corpus.public_id), {"submissions": []})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["submissions"]


def test_the_author_takes_a_submission_out_even_after_leaving(user: User) -> None:
    corpus = CorpusFactory.create()
    submission = SubmissionFactory.create(user=user, corpus=corpus)  # a former member's
    response = api(user).delete(
        path("corpus_submission_detail", corpus.public_id, submission.public_id)
    )
    submission.refresh_from_db()
    assert response.status_code == 204
    assert submission.corpus is None


def test_another_member_may_not_take_a_submission_out(user: User) -> None:
    corpus = CorpusFactory.create()
    CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.REVIEWER)
    submission = SubmissionFactory.create(user=corpus.owner, corpus=corpus)
    response = api(user).delete(
        path("corpus_submission_detail", corpus.public_id, submission.public_id)
    )
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.corpus == corpus


def test_a_submission_not_in_this_corpus_is_a_404(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    loose = SubmissionFactory.create(user=user)
    response = api(user).delete(path("corpus_submission_detail", corpus.public_id, loose.public_id))
    assert response.status_code == 404


def txt(content: str = "Bonjour à tous.\n\nSalut !\n", name: str = "lignes.txt") -> Any:
    return SimpleUploadedFile(name, content.encode())


def test_importing_a_file_answers_the_batch_with_its_progress(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).post(
        path("corpus_import_list", corpus.public_id), {"file": txt()}, format="multipart"
    )
    batch = ImportBatch.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert body["id"] == str(batch.public_id)
    assert (body["file_name"], body["format"], body["items_accepted"]) == ("lignes.txt", "txt", 2)
    assert body["progress"]["total"] == 2
    assert body["progress"]["queued"] == 2
    assert body["progress"]["finished"] is False
    assert body["created_by"] == user.email


def test_a_repeated_client_token_returns_the_first_import(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    client = api(user)
    token = str(uuid.uuid4())
    first = client.post(
        path("corpus_import_list", corpus.public_id),
        {"file": txt(), "client_token": token},
        format="multipart",
    )
    again = client.post(
        path("corpus_import_list", corpus.public_id),
        {"file": txt(), "client_token": token},
        format="multipart",
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert ImportBatch.objects.count() == 1


def test_an_unreadable_file_is_a_400_on_file(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).post(
        path("corpus_import_list", corpus.public_id),
        {"file": SimpleUploadedFile("data.pdf", b"%PDF-1.4")},
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
    assert not ImportBatch.objects.exists()


def test_an_import_without_a_file_is_a_400_on_file(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).post(path("corpus_import_list", corpus.public_id), {}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


@override_settings(PARLURE_IMPORT_MAX_ARCHIVE_BYTES=1024 * 1024)
def test_an_import_over_the_size_limit_is_a_413(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).post(
        path("corpus_import_list", corpus.public_id),
        {"file": txt("Bonjour.\n" * 120_000, "big.txt")},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "The file is too large: the limit is 1 MB."
    assert not ImportBatch.objects.exists()


@override_settings(PARLURE_IMPORT_MAX_ARCHIVE_BYTES=1024 * 1024)
def test_the_size_limit_holds_for_a_browser_session_too(user: User) -> None:
    # Session authentication's CSRF check reads the body before the view: the limit must be set.
    corpus = CorpusFactory.create(owner=user)
    client = APIClient()
    client.force_login(user)
    response = client.post(
        path("corpus_import_list", corpus.public_id),
        {"file": txt("Bonjour.\n" * 120_000, "big.txt")},
        format="multipart",
    )
    assert response.status_code == 413


def test_imports_are_listed_newest_first_and_read_one_by_one(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    older = ImportBatchFactory.create(corpus=corpus)
    problem = {"line": 2, "member": "", "code": "empty", "message": "Empty."}
    newer = ImportBatchFactory.create(corpus=corpus, problems=[problem])
    done_submission(user=user, corpus=corpus, batch=newer)
    client = api(user)
    listed = results(client.get(path("corpus_import_list", corpus.public_id)))
    detail = client.get(path("corpus_import_detail", corpus.public_id, newer.public_id)).json()
    assert [b["id"] for b in listed] == [str(newer.public_id), str(older.public_id)]
    assert detail["problems"] == [problem]
    assert detail["progress"] == {
        "total": 1,
        "queued": 0,
        "classifying": 0,
        "done": 1,
        "failed": 0,
        "cancelled": 0,
        "finished": True,
        "fraction": 1.0,
    }


def test_an_import_of_another_corpus_is_a_404(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    elsewhere = ImportBatchFactory.create(corpus=CorpusFactory.create(owner=user))
    response = api(user).get(path("corpus_import_detail", corpus.public_id, elsewhere.public_id))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [("csv", "text/csv; charset=utf-8"), ("jsonl", "application/x-ndjson")],
)
def test_the_export_streams_the_corpus(user: User, file_format: str, content_type: str) -> None:
    corpus = CorpusFactory.create(owner=user, name="Lettres")
    done_submission(user=user, corpus=corpus, text="Je vous prie d'agréer.")
    response = api(user).get(
        path("corpus_export", corpus.public_id),
        {"file_format": file_format},
        HTTP_ACCEPT="text/csv",  # whatever the client accepts, the export is its format
    )
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="lettres-')
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    assert "Je vous prie d'agréer." in content
    if file_format == "jsonl":
        assert json.loads(content.splitlines()[0])["author"] == user.email


@pytest.mark.parametrize("query", [{}, {"file_format": "xlsx"}, {"format": "csv"}])
def test_the_export_needs_a_known_file_format(user: User, query: dict[str, str]) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).get(path("corpus_export", corpus.public_id), query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file_format"]


def test_an_out_of_range_member_id_is_a_404(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = api(user).delete(path("corpus_member_detail", corpus.public_id, 10**20))
    assert response.status_code == 404


def test_a_nul_character_in_the_name_filter_is_a_400(user: User) -> None:
    response = api(user).get(path("corpus_list"), {"name": "a\x00b"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]
