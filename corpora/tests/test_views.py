import json
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Submission
from annotation.tests.factories import SubmissionFactory, done_submission
from corpora.models import Corpus, CorpusMember, ImportBatch
from corpora.tests.factories import CorpusFactory, CorpusMemberFactory, ImportBatchFactory

pytestmark = pytest.mark.django_db


def signed_in(user: User, *, enforce_csrf_checks: bool = False) -> Client:
    """A browser logged in as the person, reading the portal in English (stable messages)."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def member_of(corpus: Corpus, role: str) -> User:
    return CorpusMemberFactory.create(corpus=corpus, role=role).user


def url(name: str, corpus: Corpus, *args: object) -> str:
    return reverse(f"corpora:{name}", args=[corpus.public_id, *args])


def attr(name: str, corpus: Corpus, *args: object) -> str:
    """The URL as it appears in an attribute (quoted: longer URLs start with shorter ones)."""
    return f'"{url(name, corpus, *args)}"'


def test_pages_need_a_login(client: Client) -> None:
    corpus = CorpusFactory.create()
    for page in [reverse("corpora:corpus_list"), url("corpus_detail", corpus)]:
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_navigation_links_to_the_corpora(user: User) -> None:
    page = signed_in(user).get(reverse("home")).content.decode()
    assert f'href="{reverse("corpora:corpus_list")}"' in page


def test_the_list_shows_my_corpora_and_shared_ones_with_my_role(user: User) -> None:
    mine = CorpusFactory.create(owner=user, name="Mes courriers")
    shared = CorpusFactory.create(name="Partagé")
    CorpusMemberFactory.create(corpus=shared, user=user, role=CorpusMember.Role.ANNOTATOR)
    CorpusFactory.create(name="Pas à moi")
    response = signed_in(user).get(reverse("corpora:corpus_list"))
    rows = {row["corpus"].name: row["role_label"] for row in response.context["corpora"]}
    assert rows == {"Mes courriers": "owner", "Partagé": "annotator"}
    assert url("corpus_detail", mine) in response.content.decode()


def test_creating_a_corpus_makes_me_its_owner(user: User) -> None:
    response = signed_in(user).post(
        reverse("corpora:corpus_list"), {"name": " Entretiens ", "description": "Oral"}
    )
    corpus = Corpus.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("corpus_detail", corpus)
    assert (corpus.owner, corpus.name, corpus.description) == (user, "Entretiens", "Oral")


def test_creating_a_corpus_without_a_name_says_why(user: User) -> None:
    response = signed_in(user).post(reverse("corpora:corpus_list"), {"name": "  "})
    assert response.status_code == 400
    assert "Give the corpus a name." in response.content.decode()
    assert not Corpus.objects.exists()


def test_someone_elses_corpus_is_a_404(user: User) -> None:
    corpus = CorpusFactory.create()
    client = signed_in(user)
    assert client.get(url("corpus_detail", corpus)).status_code == 404
    assert client.get(reverse("corpora:corpus_detail", args=[uuid.uuid4()])).status_code == 404


def test_a_viewer_sees_the_corpus_but_no_controls(user: User) -> None:
    corpus = CorpusFactory.create(name="Lettres", description="De la mairie")
    CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.VIEWER)
    other = member_of(corpus, CorpusMember.Role.ANNOTATOR)
    submission = done_submission(user=corpus.owner, corpus=corpus, label="familier")
    response = signed_in(user).get(url("corpus_detail", corpus))
    page = response.content.decode()
    assert response.status_code == 200
    assert "De la mairie" in page
    assert other.email in page
    assert reverse("annotation:submission_detail", args=[submission.public_id]) in page
    assert attr("corpus_export", corpus, "csv") in page
    assert attr("corpus_export", corpus, "jsonl") in page
    for control in ["corpus_text_add", "corpus_import_new", "corpus_edit", "corpus_member_add"]:
        assert attr(control, corpus) not in page
    assert attr("corpus_submission_remove", corpus, submission.public_id) not in page


def test_an_annotator_sees_the_forms_to_add_but_not_to_manage(user: User) -> None:
    corpus = CorpusFactory.create()
    CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.ANNOTATOR)
    SubmissionFactory.create(user=user, text="Un texte à moi, hors corpus.")
    page = signed_in(user).get(url("corpus_detail", corpus)).content.decode()
    assert attr("corpus_text_add", corpus) in page
    assert attr("corpus_import_new", corpus) in page
    assert attr("corpus_submissions_add", corpus) in page
    assert "Un texte à moi, hors corpus." in page
    assert "TXT: one text per line" in page
    assert attr("corpus_edit", corpus) not in page
    assert attr("corpus_delete", corpus) not in page
    assert attr("corpus_member_add", corpus) not in page


def test_the_owner_sees_every_control(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    member = CorpusMemberFactory.create(corpus=corpus)
    page = signed_in(user).get(url("corpus_detail", corpus)).content.decode()
    for control in ["corpus_edit", "corpus_delete", "corpus_member_add", "corpus_text_add"]:
        assert attr(control, corpus) in page
    assert attr("corpus_member_role", corpus, member.pk) in page
    assert attr("corpus_member_remove", corpus, member.pk) in page


def test_the_submissions_table_is_paginated(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    SubmissionFactory.create_batch(settings.PARLURE_SUBMISSIONS_PER_PAGE + 1, corpus=corpus)
    client = signed_in(user)
    first = client.get(url("corpus_detail", corpus))
    second = client.get(url("corpus_detail", corpus) + "?page=2")
    assert len(first.context["page"].object_list) == settings.PARLURE_SUBMISSIONS_PER_PAGE
    assert len(second.context["page"].object_list) == 1


def test_the_owner_edits_the_corpus(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    client = signed_in(user)
    assert client.get(url("corpus_edit", corpus)).status_code == 200
    response = client.post(url("corpus_edit", corpus), {"name": "Nouveau", "description": ""})
    corpus.refresh_from_db()
    assert response.status_code == 302
    assert corpus.name == "Nouveau"


def test_the_owner_keeps_a_vocabulary_on_the_edit_page(user: User) -> None:
    corpus = CorpusFactory.create(owner=user, name="Bretagne")
    response = signed_in(user).post(
        url("corpus_edit", corpus),
        {"name": "Bretagne", "description": "", "vocabulary": "Quimperlé\nOuessant"},
    )
    corpus.refresh_from_db()
    assert response.status_code == 302
    assert corpus.vocabulary == "Quimperlé\nOuessant"
    assert "Ouessant" in signed_in(user).get(url("corpus_edit", corpus)).content.decode()


def test_editing_with_an_overlong_name_says_why(user: User) -> None:
    corpus = CorpusFactory.create(owner=user, name="Ancien")
    response = signed_in(user).post(url("corpus_edit", corpus), {"name": "n" * 201})
    assert response.status_code == 400
    assert "The name is limited to 200 characters." in response.content.decode()
    corpus.refresh_from_db()
    assert corpus.name == "Ancien"


@pytest.mark.parametrize("role", list(CorpusMember.Role))
def test_members_may_not_edit_or_delete_the_corpus(user: User, role: str) -> None:
    corpus = CorpusFactory.create()
    CorpusMemberFactory.create(corpus=corpus, user=user, role=role)
    client = signed_in(user)
    assert client.get(url("corpus_edit", corpus)).status_code == 403
    assert client.post(url("corpus_edit", corpus), {"name": "x"}).status_code == 403
    assert client.get(url("corpus_delete", corpus)).status_code == 403
    assert client.post(url("corpus_delete", corpus)).status_code == 403
    assert Corpus.objects.filter(pk=corpus.pk, name=corpus.name).exists()


def test_the_delete_confirmation_says_the_submissions_go_too(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    SubmissionFactory.create_batch(3, corpus=corpus)
    page = signed_in(user).get(url("corpus_delete", corpus)).content.decode()
    assert "Its 3 submissions will be deleted with it" in page


def test_deleting_a_corpus_deletes_its_submissions(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    SubmissionFactory.create_batch(2, corpus=corpus)
    response = signed_in(user).post(url("corpus_delete", corpus))
    assert response.status_code == 302
    assert response["Location"] == reverse("corpora:corpus_list")
    assert not Corpus.objects.exists()
    assert not Submission.objects.exists()


def test_the_owner_adds_a_member_by_email(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    person = UserFactory.create(email="dominique@example.org")
    response = signed_in(user).post(
        url("corpus_member_add", corpus), {"email": "Dominique@example.org", "role": "annotator"}
    )
    assert response.status_code == 302
    member = CorpusMember.objects.get(corpus=corpus)
    assert (member.user, member.role) == (person, "annotator")


def test_adding_an_unknown_address_says_why(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = signed_in(user).post(
        url("corpus_member_add", corpus), {"email": "nobody@example.org", "role": "viewer"}
    )
    assert response.status_code == 400
    assert "There is no account with this address." in response.content.decode()
    assert not CorpusMember.objects.exists()


def test_the_owner_changes_a_role_and_removes_a_member(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    changed, removed = CorpusMemberFactory.create_batch(2, corpus=corpus)
    client = signed_in(user)
    role_url = url("corpus_member_role", corpus, changed.pk)
    assert client.post(role_url, {f"m{changed.pk}-role": "reviewer"}).status_code == 302
    assert client.post(url("corpus_member_remove", corpus, removed.pk)).status_code == 302
    assert list(CorpusMember.objects.values_list("pk", "role")) == [(changed.pk, "reviewer")]


def test_a_member_leaves_the_corpus_but_may_not_remove_others(user: User) -> None:
    corpus = CorpusFactory.create()
    mine = CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.REVIEWER)
    other = CorpusMemberFactory.create(corpus=corpus)
    client = signed_in(user)
    assert client.post(url("corpus_member_remove", corpus, other.pk)).status_code == 403
    assert client.post(url("corpus_member_role", corpus, other.pk), {}).status_code == 403
    response = client.post(url("corpus_member_remove", corpus, mine.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("corpora:corpus_list")
    assert list(CorpusMember.objects.all()) == [other]
    assert client.get(url("corpus_detail", corpus)).status_code == 404


def test_a_member_of_another_corpus_is_a_404_here(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    elsewhere = CorpusMemberFactory.create()
    response = signed_in(user).post(url("corpus_member_remove", corpus, elsewhere.pk))
    assert response.status_code == 404
    assert CorpusMember.objects.filter(pk=elsewhere.pk).exists()


def test_an_annotator_adds_a_text_to_the_corpus(user: User) -> None:
    corpus = CorpusFactory.create()
    CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.ANNOTATOR)
    response = signed_in(user).post(
        url("corpus_text_add", corpus), {"text": "Wesh, bien ou quoi ?", "client_token": ""}
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "annotation:submission_detail", args=[submission.public_id]
    )
    assert (submission.user, submission.corpus) == (user, corpus)


def test_an_empty_text_is_refused_on_the_corpus_page(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    response = signed_in(user).post(url("corpus_text_add", corpus), {"text": " "})
    assert response.status_code == 400
    assert "Please type or paste a text to annotate." in response.content.decode()
    assert not Submission.objects.exists()


def test_a_viewer_may_not_add_anything(user: User) -> None:
    corpus = CorpusFactory.create()
    CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.VIEWER)
    mine = SubmissionFactory.create(user=user)
    client = signed_in(user)
    assert client.post(url("corpus_text_add", corpus), {"text": "Bonjour."}).status_code == 403
    upload = SimpleUploadedFile("t.txt", b"Bonjour.\n")
    assert client.post(url("corpus_import_new", corpus), {"file": upload}).status_code == 403
    added = client.post(url("corpus_submissions_add", corpus), {"submissions": [mine.pk]})
    assert added.status_code == 403
    assert not Submission.objects.filter(corpus=corpus).exists()
    assert not ImportBatch.objects.exists()


def test_an_annotator_adds_own_submissions(user: User) -> None:
    corpus = CorpusFactory.create()
    CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.ANNOTATOR)
    first, second = SubmissionFactory.create_batch(2, user=user)
    response = signed_in(user).post(
        url("corpus_submissions_add", corpus), {"submissions": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert set(Submission.objects.filter(corpus=corpus)) == {first, second}


def test_someone_elses_submission_cannot_be_added_from_the_page(
    user: User, other_user: User
) -> None:
    corpus = CorpusFactory.create(owner=user)
    theirs = SubmissionFactory.create(user=other_user)
    response = signed_in(user).post(
        url("corpus_submissions_add", corpus), {"submissions": [theirs.pk]}
    )
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.corpus is None


def test_the_author_removes_a_submission_from_the_corpus(user: User) -> None:
    corpus = CorpusFactory.create()
    CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.ANNOTATOR)
    mine = SubmissionFactory.create(user=user, corpus=corpus)
    theirs = SubmissionFactory.create(user=corpus.owner, corpus=corpus)
    client = signed_in(user)
    page = client.get(url("corpus_detail", corpus)).content.decode()
    assert attr("corpus_submission_remove", corpus, mine.public_id) in page
    assert attr("corpus_submission_remove", corpus, theirs.public_id) not in page
    refused = client.post(url("corpus_submission_remove", corpus, theirs.public_id))
    removed = client.post(url("corpus_submission_remove", corpus, mine.public_id))
    assert (refused.status_code, removed.status_code) == (403, 302)
    assert list(Submission.objects.filter(corpus=corpus)) == [theirs]
    assert Submission.objects.filter(pk=mine.pk).exists()


def test_importing_a_text_file_shows_the_import_with_its_problems(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    upload = SimpleUploadedFile("lignes.txt", "Bonjour à tous.\nSalut !\n".encode())
    client = signed_in(user)
    response = client.post(url("corpus_import_new", corpus), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("corpus_import_detail", corpus, batch.public_id)
    assert (batch.created_by, batch.items_accepted) == (user, 2)
    assert Submission.objects.filter(corpus=corpus, batch=batch).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "lignes.txt" in page
    assert url("corpus_import_status", corpus, batch.public_id) in page  # polled while it runs


def test_an_unreadable_import_is_refused_with_its_reason(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    upload = SimpleUploadedFile("data.pdf", b"%PDF-1.4")
    response = signed_in(user).post(url("corpus_import_new", corpus), {"file": upload})
    assert response.status_code == 400
    assert response.context["import_form"].errors["file"]
    assert not ImportBatch.objects.exists()


@override_settings(PARLURE_IMPORT_MAX_ARCHIVE_BYTES=1024 * 1024)
def test_an_import_over_the_size_limit_is_a_413_with_the_limit(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    upload = SimpleUploadedFile("big.txt", b"Bonjour.\n" * 120_000)  # over 1 MB
    response = signed_in(user).post(url("corpus_import_new", corpus), {"file": upload})
    assert response.status_code == 413
    assert "The file is too large: the limit is 1 MB." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_import_form_still_checks_the_csrf_token(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    client = signed_in(user, enforce_csrf_checks=True)
    page = client.get(url("corpus_detail", corpus))
    token = page.context["csrf_token"]
    without = client.post(url("corpus_import_new", corpus), {"file": _txt()})
    with_token = client.post(
        url("corpus_import_new", corpus), {"file": _txt(), "csrfmiddlewaretoken": token}
    )
    assert (without.status_code, with_token.status_code) == (403, 302)
    assert ImportBatch.objects.count() == 1


def _txt() -> SimpleUploadedFile:
    return SimpleUploadedFile("t.txt", b"Bonjour.\n")


def test_the_import_status_reports_progress_and_problems(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    problem = {"line": 3, "member": "", "code": "empty", "message": "Ligne vide."}
    batch = ImportBatchFactory.create(corpus=corpus, problems=[problem], items_read=3)
    done_submission(user=user, corpus=corpus, batch=batch)
    SubmissionFactory.create(user=user, corpus=corpus, batch=batch)
    client = signed_in(user)
    response = client.get(url("corpus_import_status", corpus, batch.public_id))
    api = client.get(
        reverse("api:corpus_import_detail", args=[corpus.public_id, batch.public_id])
    ).json()["progress"]
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert (api["total"], api["done"], api["queued"], api["finished"]) == (2, 1, 1, False)
    assert api["fraction"] == 0.5
    assert "Ligne vide." in html
    assert 'data-finished="false"' in html
    assert 'data-status-label="1 of 2 items processed."' in html


def test_the_corpus_page_polls_its_running_imports(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    batch = ImportBatchFactory.create(corpus=corpus)
    SubmissionFactory.create(user=user, corpus=corpus, batch=batch)
    client = signed_in(user)
    page = client.get(url("corpus_detail", corpus)).content.decode()
    assert attr("corpus_imports_status", corpus) in page
    html = client.get(url("corpus_imports_status", corpus)).content.decode()
    assert 'data-finished="false"' in html
    assert url("corpus_import_detail", corpus, batch.public_id) in html


def test_an_import_of_another_corpus_is_a_404(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    elsewhere = ImportBatchFactory.create(corpus=CorpusFactory.create(owner=user))
    client = signed_in(user)
    assert client.get(url("corpus_import_detail", corpus, elsewhere.public_id)).status_code == 404
    assert client.get(url("corpus_import_status", corpus, elsewhere.public_id)).status_code == 404


def test_a_viewer_downloads_the_export(user: User) -> None:
    corpus = CorpusFactory.create(name="Lettres de 2024")
    CorpusMemberFactory.create(corpus=corpus, user=user, role=CorpusMember.Role.VIEWER)
    done_submission(user=corpus.owner, corpus=corpus, text="Je vous prie d'agréer.")
    client = signed_in(user)
    csv_response = client.get(url("corpus_export", corpus, "csv"))
    jsonl_response = client.get(url("corpus_export", corpus, "jsonl"))
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"].startswith('attachment; filename="lettres-de-2024-')
    assert "Je vous prie d'agréer." in streamed(csv_response)
    assert jsonl_response["Content-Type"] == "application/x-ndjson"
    lines = streamed(jsonl_response).splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["Je vous prie d'agréer."]


def streamed(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def test_an_unknown_export_format_is_a_404(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    assert signed_in(user).get(url("corpus_export", corpus, "xlsx")).status_code == 404


def test_the_admin_shows_corpora_with_members_and_imports_with_problems() -> None:
    admin = User.objects.create_superuser(email="admin@example.org", password="x")
    member = CorpusMemberFactory.create()
    problem = {"line": 4, "member": "", "code": "empty", "message": "Ligne vide."}
    batch = ImportBatchFactory.create(corpus=member.corpus, problems=[problem])
    client = signed_in(admin)
    corpus_change = reverse("admin:corpora_corpus_change", args=[member.corpus.pk])
    batch_change = reverse("admin:corpora_importbatch_change", args=[batch.pk])
    assert client.get(reverse("admin:corpora_corpus_changelist")).status_code == 200
    assert member.user.email in client.get(corpus_change).content.decode()
    assert client.get(reverse("admin:corpora_importbatch_changelist")).status_code == 200
    assert "Ligne vide." in client.get(batch_change).content.decode()
