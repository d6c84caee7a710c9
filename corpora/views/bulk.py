"""The bulk actions of a list of submissions ("My submissions", a corpus's list): delete, add to
a corpus, export. A plain form (POST, CSRF) sends the ticked rows; the page comes back with a
message saying how many were done and why the others were not.

It lives here, not in ``annotation``, because adding and exporting are corpora's services. Each
submission is checked on its own: ids of submissions the person cannot see, or that no longer
exist (a second click after a deletion), are counted as not found, never an error page.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from annotation.access import submissions_visible
from annotation.models import Submission
from annotation.selectors import submissions_visible_by_public_ids
from annotation.services import submissions_delete
from corpora.access import Can, corpora_allowing
from corpora.exports import EXPORT_FORMATS, selection_filename, submissions_export_lines
from corpora.services.corpora import corpus_submissions_add_allowed

from .corpora import EXPORT_CONTENT_TYPES

ACTIONS = ("delete", "add", *EXPORT_FORMATS)
# More ids than a page shows is not a person ticking boxes.
MAX_SELECTED = 500


def _next_url(request: AuthenticatedHttpRequest) -> str:
    """Where the form came from (with its filters and page), if it is on this site."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("annotation:submission_list")


def _selected_ids(values: list[str]) -> tuple[list[uuid.UUID], int]:
    """The distinct valid ids ticked, and how many values were not ids at all."""
    ids: list[uuid.UUID] = []
    bad = 0
    for value in values:
        try:
            parsed = uuid.UUID(value)
        except ValueError:
            bad += 1
            continue
        if parsed not in ids:
            ids.append(parsed)
    return ids, bad


def _not_found(request: AuthenticatedHttpRequest, count: int) -> None:
    if count:
        messages.warning(
            request,
            ngettext(
                "%(count)s selected submission was not found: it was deleted, or you cannot "
                "see it.",
                "%(count)s selected submissions were not found: they were deleted, or you "
                "cannot see them.",
                count,
            )
            % {"count": count},
        )


@login_required
@require_POST
def submissions_bulk(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    next_url = _next_url(request)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Choose an action for the selected submissions."))
        return redirect(next_url)
    values = request.POST.getlist("submissions")[:MAX_SELECTED]
    ids, bad = _selected_ids(values)
    if not ids:
        messages.error(request, _("Select at least one submission."))
        return redirect(next_url)
    if action in EXPORT_FORMATS:
        return _export(request, ids=ids, bad=bad, file_format=action, next_url=next_url)
    found = submissions_visible_by_public_ids(user=request.user, public_ids=ids)
    _not_found(request, len(ids) - len(found) + bad)
    if action == "delete":
        _delete(request, found)
    else:
        _add(request, found)
    return redirect(next_url)


def _delete(request: AuthenticatedHttpRequest, found: list[Submission]) -> None:
    deleted, refused = submissions_delete(submissions=found, acting_user=request.user)
    if deleted:
        messages.success(
            request,
            ngettext(
                "%(count)s submission was deleted.",
                "%(count)s submissions were deleted.",
                len(deleted),
            )
            % {"count": len(deleted)},
        )
    if refused:
        messages.error(
            request,
            ngettext(
                "%(count)s submission was not deleted: only its author or the corpus owner may "
                "delete it.",
                "%(count)s submissions were not deleted: only their author or the corpus owner "
                "may delete them.",
                len(refused),
            )
            % {"count": len(refused)},
        )


def _add(request: AuthenticatedHttpRequest, found: list[Submission]) -> None:
    corpus = None
    try:
        corpus_id = uuid.UUID(request.POST.get("corpus", ""))
    except ValueError:
        pass
    else:
        corpus = (
            corpora_allowing(user=request.user, can=Can.ANNOTATE)
            .filter(public_id=corpus_id)
            .first()
        )
    if corpus is None:
        messages.error(request, _("Choose a corpus in which you may add submissions."))
        return
    try:
        outcome = corpus_submissions_add_allowed(
            corpus=corpus, submissions=found, acting_user=request.user
        )
    except ValidationError as error:  # changed meanwhile: nothing was added
        for message in error.messages:
            messages.error(request, message)
        return
    if outcome.added:
        messages.success(
            request,
            ngettext(
                "%(count)s submission was added to the corpus “%(name)s”.",
                "%(count)s submissions were added to the corpus “%(name)s”.",
                len(outcome.added),
            )
            % {"count": len(outcome.added), "name": corpus.name},
        )
    if outcome.already:
        messages.info(
            request,
            ngettext(
                "%(count)s submission was already in this corpus.",
                "%(count)s submissions were already in this corpus.",
                len(outcome.already),
            )
            % {"count": len(outcome.already)},
        )
    if outcome.not_yours:
        messages.error(
            request,
            ngettext(
                "%(count)s submission was not added: only its author may add it to a corpus.",
                "%(count)s submissions were not added: only their author may add them to a corpus.",
                len(outcome.not_yours),
            )
            % {"count": len(outcome.not_yours)},
        )
    if outcome.elsewhere:
        messages.error(
            request,
            ngettext(
                "%(count)s submission was not added: it is in another corpus; remove it from "
                "there first.",
                "%(count)s submissions were not added: they are in another corpus; remove them "
                "from there first.",
                len(outcome.elsewhere),
            )
            % {"count": len(outcome.elsewhere)},
        )


def _export(
    request: AuthenticatedHttpRequest,
    *,
    ids: list[uuid.UUID],
    bad: int,
    file_format: str,
    next_url: str,
) -> HttpResponseBase:
    """The selected submissions the person may view, as a download (others are left out)."""
    selected = submissions_visible(user=request.user).filter(public_id__in=ids)
    if not selected.exists():
        _not_found(request, len(ids) + bad)
        return redirect(next_url)
    response = StreamingHttpResponse(
        submissions_export_lines(submissions=selected, file_format=file_format),
        content_type=EXPORT_CONTENT_TYPES[file_format],
    )
    filename = selection_filename(file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
