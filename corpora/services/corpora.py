"""Every change to a corpus, its members and the submissions it groups goes through here.

Decisions a caller may rely on:

- Adding someone who is already a member is refused (use ``corpus_member_set_role``): a form that
  says "add" should never quietly change an existing person's rights.
- Submissions are added only by their author, and one that is already in another corpus is
  refused, not moved: the other corpus's members would lose it without being asked.
- Removing a submission from a corpus keeps the submission (its author still has it); only the
  owner or the author may remove it. Deleting a corpus deletes its submissions.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from annotation.models import Submission
from common.text import control_characters_strip
from common.vocabulary import vocabulary_clean
from corpora.access import Can, corpus_allows
from corpora.models import Corpus, CorpusMember

logger = logging.getLogger(__name__)

CORPUS_NAME_MAX = 200  # Corpus.name's max_length
CORPUS_DESCRIPTION_MAX = 5000  # Corpus.description's max_length


def _field_error(field: str, message: str, code: str, **params: object) -> ValidationError:
    # Keyed on the field, so that a form or a serializer shows the message next to it.
    return ValidationError({field: ValidationError(message, code=code, params=params or None)})


def corpus_name_clean(name: str) -> str:
    name = control_characters_strip(name)
    if not name:
        raise _field_error("name", _("Give the corpus a name."), "blank")
    if len(name) > CORPUS_NAME_MAX:
        message = _("The name is limited to %(max)s characters.")
        raise _field_error("name", message, "max_length", max=CORPUS_NAME_MAX)
    return name


def corpus_description_clean(description: str) -> str:
    description = control_characters_strip(description)
    if len(description) > CORPUS_DESCRIPTION_MAX:
        message = _("The description is limited to %(max)s characters.")
        raise _field_error("description", message, "max_length", max=CORPUS_DESCRIPTION_MAX)
    return description


def _require(*, user: User, corpus: Corpus, can: Can) -> None:
    # Views fetch with corpus_get(can=...) already; this keeps a service safe on its own.
    if not corpus_allows(user=user, corpus=corpus, can=can):
        raise PermissionDenied


@transaction.atomic
def corpus_create(*, owner: User, name: str, description: str = "", vocabulary: str = "") -> Corpus:
    try:
        vocabulary = vocabulary_clean(vocabulary)
    except ValidationError as error:
        raise ValidationError({"vocabulary": error}) from None
    corpus = Corpus.objects.create(
        owner=owner,
        name=corpus_name_clean(name),
        description=corpus_description_clean(description),
        vocabulary=vocabulary,
    )
    logger.info("corpus %s created by user %s", corpus.pk, owner.pk)
    return corpus


@transaction.atomic
def corpus_update(
    *,
    corpus: Corpus,
    name: str,
    description: str,
    acting_user: User,
    vocabulary: str | None = None,
) -> Corpus:
    """Rename or describe the corpus and, when given, set its vocabulary (common.vocabulary)."""
    _require(user=acting_user, corpus=corpus, can=Can.MANAGE)
    corpus.name = corpus_name_clean(name)
    corpus.description = corpus_description_clean(description)
    fields = ["name", "description", "updated_at"]
    if vocabulary is not None:
        try:
            corpus.vocabulary = vocabulary_clean(vocabulary)
        except ValidationError as error:
            raise ValidationError({"vocabulary": error}) from None
        fields.append("vocabulary")
    corpus.save(update_fields=fields)
    logger.info("corpus %s updated by user %s", corpus.pk, acting_user.pk)
    return corpus


@transaction.atomic
def corpus_delete(*, corpus: Corpus, acting_user: User) -> None:
    """Delete the corpus with its members, imports and every submission in it (anyone's)."""
    _require(user=acting_user, corpus=corpus, can=Can.MANAGE)
    submissions = corpus.submissions.count()
    logger.info(
        "corpus %s deleted with %s submissions by user %s", corpus.pk, submissions, acting_user.pk
    )
    corpus.delete()


def _role_clean(role: str) -> str:
    if role not in CorpusMember.Role.values:
        raise _field_error("role", _("Choose a role: viewer, annotator or reviewer."), "invalid")
    return role


@transaction.atomic
def corpus_member_add(*, corpus: Corpus, email: str, role: str, acting_user: User) -> CorpusMember:
    """Share the corpus with the person who has this address; refused if they are a member."""
    _require(user=acting_user, corpus=corpus, can=Can.MANAGE)
    role = _role_clean(role)
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise _field_error("email", _("There is no account with this address."), "unknown")
    if user.pk == corpus.owner_id:
        message = _("This is the owner of the corpus, who may already do everything in it.")
        raise _field_error("email", message, "owner")
    # Locked: two requests adding the same person cannot both pass the check.
    Corpus.objects.select_for_update().filter(pk=corpus.pk).first()
    if CorpusMember.objects.filter(corpus=corpus, user=user).exists():
        message = _("This person is already a member; change their role instead.")
        raise _field_error("email", message, "already_member")
    member = CorpusMember.objects.create(corpus=corpus, user=user, role=role, added_by=acting_user)
    logger.info(
        "user %s added to corpus %s as %s by user %s", user.pk, corpus.pk, role, acting_user.pk
    )
    return member


@transaction.atomic
def corpus_member_set_role(*, member: CorpusMember, role: str, acting_user: User) -> CorpusMember:
    _require(user=acting_user, corpus=member.corpus, can=Can.MANAGE)
    member.role = _role_clean(role)
    member.save(update_fields=["role"])
    logger.info(
        "member %s of corpus %s given role %s by user %s",
        member.user_id,
        member.corpus_id,
        member.role,
        acting_user.pk,
    )
    return member


@transaction.atomic
def corpus_member_remove(*, member: CorpusMember, acting_user: User) -> None:
    """The owner removes a member, or a member leaves the corpus."""
    if member.user_id != acting_user.pk:
        _require(user=acting_user, corpus=member.corpus, can=Can.MANAGE)
    logger.info(
        "member %s removed from corpus %s by user %s",
        member.user_id,
        member.corpus_id,
        acting_user.pk,
    )
    member.delete()


def submissions_not_yours_error() -> ValidationError:
    """Also for ids that match nothing: a missing id must read like someone else's."""
    message = _("Only your own submissions can be added to a corpus.")
    return _field_error("submissions", message, "not_yours")


@transaction.atomic
def corpus_submissions_add(
    *, corpus: Corpus, submissions: Iterable[Submission], acting_user: User
) -> list[Submission]:
    """Put some of the acting user's own submissions in the corpus; all of them or none.

    Those already in this corpus are left as they are; the others must be the acting user's and
    in no corpus yet.
    """
    _require(user=acting_user, corpus=corpus, can=Can.ANNOTATE)
    wanted = {submission.pk for submission in submissions}
    if not wanted:
        raise _field_error("submissions", _("Choose at least one submission."), "empty")
    # Locked and re-read: what the caller holds may be stale, and two requests may race.
    locked = list(Submission.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    if len(locked) != len(wanted) or any(s.user_id != acting_user.pk for s in locked):
        raise submissions_not_yours_error()
    elsewhere = [s for s in locked if s.corpus_id not in (None, corpus.pk)]
    if elsewhere:
        message = ngettext(
            "%(count)s of these submissions is already in another corpus; remove it from there "
            "first.",
            "%(count)s of these submissions are already in another corpus; remove them from there "
            "first.",
            len(elsewhere),
        )
        raise _field_error("submissions", message, "other_corpus", count=len(elsewhere))
    added = [s for s in locked if s.corpus_id is None]
    Submission.objects.filter(pk__in=[s.pk for s in added]).update(corpus=corpus)
    for submission in added:
        submission.corpus = corpus
    logger.info(
        "%s submissions added to corpus %s by user %s", len(added), corpus.pk, acting_user.pk
    )
    return locked


@dataclass(frozen=True)
class SubmissionsAdded:
    """What became of each submission a person asked to add to a corpus."""

    added: list[Submission]
    already: list[Submission]  # in this corpus already
    not_yours: list[Submission]  # someone else's: only its author adds a submission
    elsewhere: list[Submission]  # in another corpus: not moved


def corpus_submissions_add_allowed(
    *, corpus: Corpus, submissions: Iterable[Submission], acting_user: User
) -> SubmissionsAdded:
    """Add those of these submissions that ``corpus_submissions_add`` accepts, and say why the
    others were left: the bulk action of a list, where a selection may mix them.

    The adding itself goes through ``corpus_submissions_add``, which checks again under a lock
    (a submission that changed meanwhile makes it refuse, with its message).
    """
    _require(user=acting_user, corpus=corpus, can=Can.ANNOTATE)
    chosen = list(submissions)
    not_yours = [s for s in chosen if s.user_id != acting_user.pk]
    mine = [s for s in chosen if s.user_id == acting_user.pk]
    already = [s for s in mine if s.corpus_id == corpus.pk]
    elsewhere = [s for s in mine if s.corpus_id not in (None, corpus.pk)]
    addable = [s for s in mine if s.corpus_id is None]
    if addable:
        corpus_submissions_add(corpus=corpus, submissions=addable, acting_user=acting_user)
    return SubmissionsAdded(
        added=addable, already=already, not_yours=not_yours, elsewhere=elsewhere
    )


@transaction.atomic
def corpus_submission_remove(*, submission: Submission, acting_user: User) -> Submission:
    """Take a submission out of its corpus; it stays its author's. The author or the owner only.

    It also leaves its import, whose progress only counts what is still in the corpus.
    """
    corpus = submission.corpus
    if corpus is None:
        raise ValidationError(_("This submission is not in a corpus."), code="no_corpus")
    if submission.user_id != acting_user.pk and corpus.owner_id != acting_user.pk:
        raise PermissionDenied
    submission.corpus = None
    submission.batch = None
    submission.save(update_fields=["corpus", "batch"])
    logger.info(
        "submission %s removed from corpus %s by user %s", submission.pk, corpus.pk, acting_user.pk
    )
    return submission
