"""Who may do what in a corpus: one set of rules, used by pages and API alike.

- A person may do everything with their own submissions.
- In a corpus, the owner may do everything, and members what their role allows:
  viewer reads (and exports), annotator also adds and corrects, reviewer also validates
  transcripts and reads everyone's feedback. Only the owner manages the corpus (name, members,
  deletion) and deletes other people's submissions in it.
- Nobody else sees anything: someone else's id answers 404, exactly like a missing one.

The submission fetchers built on these rules are in ``annotation.access``.
"""

import enum
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User

from .models import Corpus, CorpusMember


class Can(enum.Enum):
    VIEW = "view"
    ANNOTATE = "annotate"
    REVIEW = "review"
    MANAGE = "manage"


OWNER = "owner"
ROLE_CAN: dict[str, frozenset[Can]] = {
    CorpusMember.Role.VIEWER: frozenset({Can.VIEW}),
    CorpusMember.Role.ANNOTATOR: frozenset({Can.VIEW, Can.ANNOTATE}),
    CorpusMember.Role.REVIEWER: frozenset({Can.VIEW, Can.ANNOTATE, Can.REVIEW}),
    OWNER: frozenset(Can),
}


def corpus_role(*, user: User, corpus: Corpus) -> str | None:
    """ "owner", a member's role, or None."""
    if not user.is_authenticated:
        return None
    if corpus.owner_id == user.pk:
        return OWNER
    return (
        CorpusMember.objects.filter(corpus=corpus, user=user).values_list("role", flat=True).first()
    )


def corpus_allows(*, user: User, corpus: Corpus, can: Can) -> bool:
    role = corpus_role(user=user, corpus=corpus)
    return role is not None and can in ROLE_CAN[role]


def corpora_visible(*, user: User) -> QuerySet[Corpus]:
    """Corpora the person owns or is a member of."""
    member = CorpusMember.objects.filter(corpus=OuterRef("pk"), user=user)
    return Corpus.objects.filter(Q(owner=user) | Q(Exists(member)))


def corpora_allowing(*, user: User, can: Can) -> QuerySet[Corpus]:
    """Corpora in which the person's role allows this (the owner's allows everything)."""
    roles = [role for role, allowed in ROLE_CAN.items() if role != OWNER and can in allowed]
    member = CorpusMember.objects.filter(corpus=OuterRef("pk"), user=user, role__in=roles)
    return Corpus.objects.filter(Q(owner=user) | Q(Exists(member)))


def public_id_or_404(public_id: uuid.UUID | str) -> uuid.UUID:
    """A public id from a URL or a form; anything that is not a UUID is an unknown object."""
    try:
        return public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except (ValueError, ValidationError):
        raise Http404("No such object.") from None


def corpus_get(*, user: User, public_id: uuid.UUID | str, can: Can = Can.VIEW) -> Corpus:
    """A corpus the person may act on this way; 404 if they cannot see it, PermissionDenied
    (403) if they see it but their role does not allow this."""

    corpus = corpora_visible(user=user).filter(public_id=public_id_or_404(public_id)).first()
    if corpus is None:
        raise Http404("No such corpus.")
    if not corpus_allows(user=user, corpus=corpus, can=can):
        raise PermissionDenied
    return corpus
