"""Find and replace pages: the form, its preview, then applying it (a plain POST form).

One page for a transcript (here) and one for a corpus (corpora.views.replace); both fetch the
transcripts the person may change and hand them to ``replace_page``, which calls the same
services as the API. The preview's form carries each transcript's version, so applying skips the
segments corrected by someone else since the preview.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from annotation.access import Can, submission_get
from annotation.forms import ReplaceForm
from annotation.models import Transcript
from annotation.replacing import Search, marked_parts
from annotation.selectors import transcript_get
from annotation.services import (
    TranscriptReplace,
    transcripts_replace_apply,
    transcripts_replace_preview,
)


def _versions(values: list[str]) -> dict[uuid.UUID, int] | None:
    """The preview's "submission id:version" fields (anything else is left out); None without
    any (a form made by hand: the current texts are replaced)."""
    if not values:
        return None
    versions = {}
    for value in values:
        public_id, _, version = value.partition(":")
        try:
            versions[uuid.UUID(public_id)] = int(version)
        except ValueError:
            continue
    return versions


def _item_view(item: TranscriptReplace) -> dict[str, Any]:
    submission = item.transcript.submission
    return {
        "item": item,
        "submission": submission,
        "history_url": reverse("annotation:transcript_history", args=[submission.public_id]),
        "segments": [
            {
                "segment": match.segment,
                "before": marked_parts(match.replaced.before, match.replaced.before_spans),
                "after": marked_parts(match.replaced.after, match.replaced.after_spans),
                "count": match.replaced.count,
            }
            for match in item.matches
        ],
    }


def replace_page(
    request: AuthenticatedHttpRequest,
    *,
    transcripts: Iterable[Transcript],
    context: dict[str, Any],
) -> HttpResponse:
    """GET with ``find``: the preview; POST: apply it. ``context`` names the scope (title, back
    link) for the template."""
    applying = request.method == "POST"
    form = ReplaceForm(request.POST if applying else (request.GET or None))
    items: list[TranscriptReplace] | None = None
    status = 200
    if form.is_bound and form.is_valid():
        search = Search(
            find=form.cleaned_data["find"],
            replace=form.cleaned_data["replace"],
            whole_word=form.cleaned_data["whole_word"],
            case_sensitive=form.cleaned_data["case_sensitive"],
        )
        try:
            if applying:
                items = transcripts_replace_apply(
                    transcripts=transcripts,
                    search=search,
                    acting_user=request.user,
                    versions=_versions(request.POST.getlist("version")),
                )
            else:
                items = transcripts_replace_preview(transcripts=transcripts, search=search)
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
    elif form.is_bound:
        status = 400
    views = [_item_view(item) for item in items or []]
    context = {
        **context,
        "form": form,
        "applied": applying and items is not None,
        "items": views,
        "searched": items is not None,
        "match_total": sum(view["item"].match_count for view in views),
        "changed_total": sum(view["item"].changed for view in views),
        "skipped_total": sum(len(view["item"].skipped) for view in views),
        "applicable": any(view["item"].refused is None for view in views),
    }
    return render(request, "annotation/replace.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def transcript_replace(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    submission = submission_get(user=request.user, public_id=public_id, can=Can.ANNOTATE)
    transcript = transcript_get(submission=submission)
    context = {
        "scope": "transcript",
        "back_url": reverse("annotation:submission_detail", args=[submission.public_id]),
        "action_url": reverse("annotation:transcript_replace", args=[submission.public_id]),
    }
    return replace_page(request, transcripts=[transcript], context=context)
