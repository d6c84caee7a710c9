from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Submission
from annotation.tests.factories import SubmissionFactory
from corpora.models import Corpus, CorpusMember
from corpora.services import (
    corpus_create,
    corpus_delete,
    corpus_member_add,
    corpus_member_remove,
    corpus_member_set_role,
    corpus_submission_remove,
    corpus_submissions_add,
    corpus_update,
)
from corpora.tests.factories import CorpusFactory, CorpusMemberFactory, ImportBatchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # Messages are asserted in English, whatever the compiled French catalogue holds.
    with translation.override("en"):
        yield


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_corpus_create_cleans_the_name_and_description(user: User) -> None:
    corpus = corpus_create(owner=user, name="  Courriers\x00 2024 ", description="\x07Lettres ")
    assert corpus.owner == user
    assert corpus.name == "Courriers 2024"
    assert corpus.description == "Lettres"


def test_corpus_create_refuses_a_blank_name(user: User) -> None:
    with pytest.raises(ValidationError) as caught:
        corpus_create(owner=user, name=" \x01 ")
    assert messages_of(caught.value) == {"name": ["Give the corpus a name."]}
    assert not Corpus.objects.exists()


def test_corpus_create_refuses_an_overlong_name_and_description(user: User) -> None:
    with pytest.raises(ValidationError) as name_error:
        corpus_create(owner=user, name="n" * 201)
    with pytest.raises(ValidationError) as description_error:
        corpus_create(owner=user, name="Corpus", description="d" * 5001)
    assert messages_of(name_error.value) == {"name": ["The name is limited to 200 characters."]}
    assert messages_of(description_error.value) == {
        "description": ["The description is limited to 5000 characters."]
    }


def test_corpus_update_by_the_owner_changes_name_and_description(user: User) -> None:
    corpus = CorpusFactory.create(owner=user, name="Old")
    corpus_update(corpus=corpus, name="New", description="About", acting_user=user)
    corpus.refresh_from_db()
    assert (corpus.name, corpus.description) == ("New", "About")


def test_corpus_update_by_a_member_is_refused(user: User) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        corpus_update(corpus=member.corpus, name="Mine now", description="", acting_user=user)
    member.corpus.refresh_from_db()
    assert member.corpus.name != "Mine now"


def test_corpus_delete_deletes_every_submission_in_it(user: User, other_user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    SubmissionFactory.create(user=user, corpus=corpus)
    SubmissionFactory.create(user=other_user, corpus=corpus)
    kept = SubmissionFactory.create(user=other_user)
    ImportBatchFactory.create(corpus=corpus)
    corpus_delete(corpus=corpus, acting_user=user)
    assert not Corpus.objects.exists()
    assert list(Submission.objects.all()) == [kept]


def test_corpus_delete_by_a_member_is_refused(user: User) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.ANNOTATOR)
    with pytest.raises(PermissionDenied):
        corpus_delete(corpus=member.corpus, acting_user=user)
    assert Corpus.objects.filter(pk=member.corpus.pk).exists()


def test_corpus_member_add_finds_the_account_whatever_the_capitals(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    person = UserFactory.create(email="dominique@example.org")
    member = corpus_member_add(
        corpus=corpus, email=" Dominique@Example.ORG ", role="annotator", acting_user=user
    )
    assert (member.user, member.role, member.added_by) == (person, "annotator", user)


def test_corpus_member_add_refuses_an_unknown_address(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    with pytest.raises(ValidationError) as caught:
        corpus_member_add(
            corpus=corpus, email="nobody@example.org", role="viewer", acting_user=user
        )
    assert messages_of(caught.value) == {"email": ["There is no account with this address."]}
    assert not CorpusMember.objects.exists()


def test_corpus_member_add_refuses_the_owner(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    with pytest.raises(ValidationError) as caught:
        corpus_member_add(corpus=corpus, email=user.email, role="viewer", acting_user=user)
    assert messages_of(caught.value) == {
        "email": ["This is the owner of the corpus, who may already do everything in it."]
    }


def test_corpus_member_add_refuses_someone_already_a_member(user: User) -> None:
    member = CorpusMemberFactory.create(corpus__owner=user, role=CorpusMember.Role.VIEWER)
    with pytest.raises(ValidationError) as caught:
        corpus_member_add(
            corpus=member.corpus, email=member.user.email, role="reviewer", acting_user=user
        )
    assert messages_of(caught.value) == {
        "email": ["This person is already a member; change their role instead."]
    }
    member.refresh_from_db()
    assert member.role == CorpusMember.Role.VIEWER


def test_corpus_member_add_refuses_an_unknown_role(user: User, other_user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    with pytest.raises(ValidationError) as caught:
        corpus_member_add(corpus=corpus, email=other_user.email, role="owner", acting_user=user)
    assert messages_of(caught.value) == {"role": ["Choose a role: viewer, annotator or reviewer."]}


def test_corpus_member_add_by_a_member_is_refused(user: User, other_user: User) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        corpus_member_add(
            corpus=member.corpus, email=other_user.email, role="viewer", acting_user=user
        )


def test_corpus_member_set_role_by_the_owner(user: User) -> None:
    member = CorpusMemberFactory.create(corpus__owner=user, role=CorpusMember.Role.VIEWER)
    corpus_member_set_role(member=member, role="reviewer", acting_user=user)
    member.refresh_from_db()
    assert member.role == CorpusMember.Role.REVIEWER


def test_corpus_member_set_role_of_oneself_is_refused(user: User) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.VIEWER)
    with pytest.raises(PermissionDenied):
        corpus_member_set_role(member=member, role="reviewer", acting_user=user)


def test_corpus_member_remove_by_the_owner_or_oneself_only(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    leaving, removed, bystander = CorpusMemberFactory.create_batch(
        3, corpus=corpus, role=CorpusMember.Role.REVIEWER
    )
    with pytest.raises(PermissionDenied):
        corpus_member_remove(member=removed, acting_user=bystander.user)
    corpus_member_remove(member=leaving, acting_user=leaving.user)
    corpus_member_remove(member=removed, acting_user=user)
    assert list(CorpusMember.objects.all()) == [bystander]


def test_corpus_submissions_add_puts_own_submissions_in_the_corpus(user: User) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.ANNOTATOR)
    already = SubmissionFactory.create(user=user, corpus=member.corpus)
    loose = SubmissionFactory.create(user=user)
    added = corpus_submissions_add(
        corpus=member.corpus, submissions=[already, loose], acting_user=user
    )
    assert {s.pk for s in added} == {already.pk, loose.pk}
    loose.refresh_from_db()
    assert loose.corpus == member.corpus


def test_corpus_submissions_add_refuses_someone_elses_submission(
    user: User, other_user: User
) -> None:
    corpus = CorpusFactory.create(owner=user)
    mine = SubmissionFactory.create(user=user)
    theirs = SubmissionFactory.create(user=other_user)
    with pytest.raises(ValidationError) as caught:
        corpus_submissions_add(corpus=corpus, submissions=[mine, theirs], acting_user=user)
    assert messages_of(caught.value) == {
        "submissions": ["Only your own submissions can be added to a corpus."]
    }
    mine.refresh_from_db()
    assert mine.corpus is None  # all or nothing


def test_corpus_submissions_add_refuses_one_in_another_corpus(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    elsewhere = SubmissionFactory.create(user=user, corpus=CorpusFactory.create(owner=user))
    loose = SubmissionFactory.create(user=user)
    with pytest.raises(ValidationError) as caught:
        corpus_submissions_add(corpus=corpus, submissions=[loose, elsewhere], acting_user=user)
    assert messages_of(caught.value) == {
        "submissions": [
            "1 of these submissions is already in another corpus; remove it from there first."
        ]
    }
    loose.refresh_from_db()
    elsewhere.refresh_from_db()
    assert loose.corpus is None
    assert elsewhere.corpus != corpus


def test_corpus_submissions_add_refuses_nothing_to_add(user: User) -> None:
    corpus = CorpusFactory.create(owner=user)
    with pytest.raises(ValidationError) as caught:
        corpus_submissions_add(corpus=corpus, submissions=[], acting_user=user)
    assert messages_of(caught.value) == {"submissions": ["Choose at least one submission."]}


def test_corpus_submissions_add_by_a_viewer_is_refused(user: User) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.VIEWER)
    submission = SubmissionFactory.create(user=user)
    with pytest.raises(PermissionDenied):
        corpus_submissions_add(corpus=member.corpus, submissions=[submission], acting_user=user)


def test_corpus_submission_remove_keeps_the_submission_for_its_author(user: User) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.ANNOTATOR)
    batch = ImportBatchFactory.create(corpus=member.corpus)
    submission = SubmissionFactory.create(user=user, corpus=member.corpus, batch=batch)
    corpus_submission_remove(submission=submission, acting_user=user)
    submission.refresh_from_db()
    assert (submission.corpus, submission.batch, submission.user) == (None, None, user)


def test_corpus_submission_remove_by_the_owner_of_someone_elses(
    user: User, other_user: User
) -> None:
    corpus = CorpusFactory.create(owner=user)
    submission = SubmissionFactory.create(user=other_user, corpus=corpus)
    corpus_submission_remove(submission=submission, acting_user=user)
    submission.refresh_from_db()
    assert submission.corpus is None


def test_corpus_submission_remove_by_another_member_is_refused(
    user: User, other_user: User
) -> None:
    member = CorpusMemberFactory.create(user=user, role=CorpusMember.Role.REVIEWER)
    submission = SubmissionFactory.create(user=other_user, corpus=member.corpus)
    with pytest.raises(PermissionDenied):
        corpus_submission_remove(submission=submission, acting_user=user)
    submission.refresh_from_db()
    assert submission.corpus == member.corpus
