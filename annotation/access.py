"""Who may do what with a submission: its author everything; in a corpus, what the role allows.

The corpus rules themselves (roles, ``Can``, ``corpus_get``) are in ``corpora.access``, below this
app; the submission fetchers are here, with the rows they fetch, so pages and API alike fetch a
submission through ``submission_get`` and cannot forget the check.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User
from corpora.access import Can, corpus_allows, public_id_or_404
from corpora.models import CorpusMember

from .models import Submission

__all__ = [
    "Can",
    "recording_get",
    "submission_allows",
    "submission_get",
    "submissions_visible",
]


def submission_allows(*, user: User, submission: Submission, can: Can) -> bool:
    if not user.is_authenticated:
        return False
    if submission.user_id == user.pk:
        return True
    if submission.corpus_id is None:
        return False
    assert submission.corpus is not None
    return corpus_allows(user=user, corpus=submission.corpus, can=can)


def submissions_visible(*, user: User) -> QuerySet[Submission]:
    """The person's own submissions and those of the corpora they own or are a member of."""
    member = CorpusMember.objects.filter(corpus=OuterRef("corpus"), user=user)
    return Submission.objects.filter(Q(user=user) | Q(corpus__owner=user) | Q(Exists(member)))


def submission_get(*, user: User, public_id: uuid.UUID | str, can: Can = Can.VIEW) -> Submission:
    """A submission the person may act on this way; 404 if they cannot see it, PermissionDenied
    (403) if they see it but may not do this."""

    submission = (
        submissions_visible(user=user)
        .select_related("current_prediction", "corpus")
        .filter(public_id=public_id_or_404(public_id))
        .first()
    )
    if submission is None:
        raise Http404("No such submission.")
    if not submission_allows(user=user, submission=submission, can=can):
        raise PermissionDenied
    return submission


def recording_get(*, user: User, public_id: uuid.UUID | str) -> Submission:
    """A recording in the page of this person's own: only its author sends its audio (404 for
    anyone else's, and for a submission that was not recorded that way)."""
    submission = Submission.objects.filter(
        public_id=public_id_or_404(public_id), user_id=user.pk, live_recording__isnull=False
    ).first()
    if submission is None:
        raise Http404("No such recording.")
    return submission
