"""Who may do what with a corpus, through the API and the pages: one row per (person, action).

The people: the owner, a viewer, an annotator and a reviewer of the corpus, someone else, a site
reviewer and a staff superuser (neither of whom is a member: site roles give no access to
someone's corpus), and someone not logged in. Someone who cannot see the corpus gets 404, exactly
as for a corpus that does not exist; a member whose role does not allow the action gets 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import REVIEWER
from accounts.services import user_set_role
from accounts.tests.factories import UserFactory
from annotation.tests.factories import SubmissionFactory
from corpora.models import Corpus, CorpusMember, ImportBatch
from corpora.tests.factories import CorpusFactory, CorpusMemberFactory, ImportBatchFactory

pytestmark = pytest.mark.django_db

OWNER, VIEWER, ANNOTATOR, REVIEWER_MEMBER = "owner", "viewer", "annotator", "reviewer"
OTHER, SITE_REVIEWER, SUPERUSER, ANONYMOUS = "other", "site_reviewer", "superuser", "anonymous"
PEOPLE = [OWNER, VIEWER, ANNOTATOR, REVIEWER_MEMBER, OTHER, SITE_REVIEWER, SUPERUSER, ANONYMOUS]
MEMBERS = {OWNER, VIEWER, ANNOTATOR, REVIEWER_MEMBER}
ADDERS = {OWNER, ANNOTATOR, REVIEWER_MEMBER}


@dataclass
class World:
    corpus: Corpus
    people: dict[str, User | None]
    # A membership that is not the actor's own (the one removed by "members remove").
    bystander: CorpusMember
    batch: ImportBatch

    def person(self, who: str) -> User | None:
        return self.people[who]


def world_make() -> World:
    owner = UserFactory.create()
    corpus = CorpusFactory.create(owner=owner)
    people: dict[str, User | None] = {OWNER: owner, ANONYMOUS: None, OTHER: UserFactory.create()}
    for role in CorpusMember.Role:
        people[role.value] = CorpusMemberFactory.create(corpus=corpus, role=role).user
    site_reviewer = UserFactory.create()
    people[SITE_REVIEWER] = user_set_role(user=site_reviewer, role=REVIEWER, acting_user=None)
    people[SUPERUSER] = User.objects.create_superuser(email="root@example.org", password="x")
    bystander = CorpusMemberFactory.create(corpus=corpus, role=CorpusMember.Role.VIEWER)
    batch = ImportBatchFactory.create(corpus=corpus)
    return World(corpus=corpus, people=people, bystander=bystander, batch=batch)


def expected(who: str, *, allowed: set[str], ok: int, refused: int = 403) -> int:
    """The status for this person: ``ok`` if allowed, 403 for other members, 404 for the rest."""
    if who == ANONYMOUS:
        return 401
    if who in allowed:
        return ok
    return refused if who in MEMBERS else 404


# --- API ------------------------------------------------------------------------------------------


def api_client(person: User | None) -> APIClient:
    client = APIClient()
    if person is not None:
        client.force_authenticate(person)
    return client


def corpus_path(name: str, world: World, *args: object) -> str:
    return reverse(f"api:{name}", args=[world.corpus.public_id, *args])


def own_submission_id(world: World, person: User | None) -> str:
    author = person or UserFactory.create()
    return str(SubmissionFactory.create(user=author).public_id)


ApiCall = Callable[[APIClient, World, User | None], Any]
API_ACTIONS: dict[str, tuple[ApiCall, set[str], int]] = {
    "retrieve": (lambda c, w, p: c.get(corpus_path("corpus_detail", w)), MEMBERS, 200),
    "update": (
        lambda c, w, p: c.patch(corpus_path("corpus_detail", w), {"name": "Renommé"}),
        {OWNER},
        200,
    ),
    "delete": (lambda c, w, p: c.delete(corpus_path("corpus_detail", w)), {OWNER}, 204),
    "members list": (lambda c, w, p: c.get(corpus_path("corpus_member_list", w)), MEMBERS, 200),
    "members add": (
        lambda c, w, p: c.post(
            corpus_path("corpus_member_list", w),
            {"email": UserFactory.create().email, "role": "viewer"},
        ),
        {OWNER},
        201,
    ),
    "members remove": (
        lambda c, w, p: c.delete(corpus_path("corpus_member_detail", w, w.bystander.pk)),
        {OWNER},
        204,
    ),
    "members change role": (
        lambda c, w, p: c.patch(
            corpus_path("corpus_member_detail", w, w.bystander.pk), {"role": "annotator"}
        ),
        {OWNER},
        200,
    ),
    "imports list": (lambda c, w, p: c.get(corpus_path("corpus_import_list", w)), MEMBERS, 200),
    "imports create": (
        lambda c, w, p: c.post(
            corpus_path("corpus_import_list", w),
            {"file": SimpleUploadedFile("t.txt", b"Bonjour.\n")},
            format="multipart",
        ),
        ADDERS,
        201,
    ),
    "import detail": (
        lambda c, w, p: c.get(corpus_path("corpus_import_detail", w, w.batch.public_id)),
        MEMBERS,
        200,
    ),
    "export": (
        lambda c, w, p: c.get(corpus_path("corpus_export", w), {"file_format": "csv"}),
        MEMBERS,
        200,
    ),
    "add submission": (
        lambda c, w, p: c.post(
            corpus_path("corpus_submissions", w), {"submissions": [own_submission_id(w, p)]}
        ),
        ADDERS,
        200,
    ),
}


@pytest.mark.parametrize("action", list(API_ACTIONS))
@pytest.mark.parametrize("who", PEOPLE)
def test_api_permissions(who: str, action: str) -> None:
    world = world_make()
    call, allowed, ok = API_ACTIONS[action]
    person = world.person(who)
    response = call(api_client(person), world, person)
    assert response.status_code == expected(who, allowed=allowed, ok=ok), response.content


@pytest.mark.parametrize("who", PEOPLE)
def test_api_list_contains_the_corpus_for_its_members_only(who: str) -> None:
    world = world_make()
    response = api_client(world.person(who)).get(reverse("api:corpus_list"))
    if who == ANONYMOUS:
        assert response.status_code == 401
        return
    listed = [corpus["id"] for corpus in response.json()["results"]]
    assert (str(world.corpus.public_id) in listed) == (who in MEMBERS)


@pytest.mark.parametrize("who", [VIEWER, ANNOTATOR, REVIEWER_MEMBER])
def test_api_a_member_may_leave(who: str) -> None:
    world = world_make()
    person = world.person(who)
    membership = CorpusMember.objects.get(corpus=world.corpus, user=person)
    response = api_client(person).delete(corpus_path("corpus_member_detail", world, membership.pk))
    assert response.status_code == 204
    assert not CorpusMember.objects.filter(pk=membership.pk).exists()


# --- Pages ----------------------------------------------------------------------------------------


def page_client(person: User | None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def page(name: str, world: World, *args: object) -> str:
    return reverse(f"corpora:{name}", args=[world.corpus.public_id, *args])


PageCall = Callable[[Client, World], Any]
PAGE_ACTIONS: dict[str, tuple[PageCall, set[str], int]] = {
    "detail": (lambda c, w: c.get(page("corpus_detail", w)), MEMBERS, 200),
    "edit form": (lambda c, w: c.get(page("corpus_edit", w)), {OWNER}, 200),
    "edit": (lambda c, w: c.post(page("corpus_edit", w), {"name": "Renommé"}), {OWNER}, 302),
    "delete": (lambda c, w: c.post(page("corpus_delete", w)), {OWNER}, 302),
    "member add": (
        lambda c, w: c.post(
            page("corpus_member_add", w), {"email": UserFactory.create().email, "role": "viewer"}
        ),
        {OWNER},
        302,
    ),
    "member remove": (
        lambda c, w: c.post(page("corpus_member_remove", w, w.bystander.pk)),
        {OWNER},
        302,
    ),
    "text add": (lambda c, w: c.post(page("corpus_text_add", w), {"text": "Salut !"}), ADDERS, 302),
    "import": (
        lambda c, w: c.post(
            page("corpus_import_new", w), {"file": SimpleUploadedFile("t.txt", b"Bonjour.\n")}
        ),
        ADDERS,
        302,
    ),
    "import detail": (
        lambda c, w: c.get(page("corpus_import_detail", w, w.batch.public_id)),
        MEMBERS,
        200,
    ),
    "import status": (
        lambda c, w: c.get(page("corpus_import_status", w, w.batch.public_id)),
        MEMBERS,
        200,
    ),
    "export": (lambda c, w: c.get(page("corpus_export", w, "csv")), MEMBERS, 200),
}


@pytest.mark.parametrize("action", list(PAGE_ACTIONS))
@pytest.mark.parametrize("who", PEOPLE)
def test_page_permissions(who: str, action: str) -> None:
    world = world_make()
    call, allowed, ok = PAGE_ACTIONS[action]
    response = call(page_client(world.person(who)), world)
    if who == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == expected(who, allowed=allowed, ok=ok)
