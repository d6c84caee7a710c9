"""The review queue: people's flags first, then the model's uncertain items by informativeness,
judged with a click or a key (one or several at once), without a reload."""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from annotation.models import Register
from annotation.ranges import audio_content_type, ranged_file_response
from review.display import item_audio, item_card, judgement_result
from review.models import Judgement
from review.reports import agreement_report
from review.selectors import (
    DECIDED_FILTERS,
    feedback_for_items,
    review_counts,
    review_item_get,
    review_items_by_id,
    review_items_decided,
    review_queue_order,
)
from review.services import judgement_record

from .payload import safe_next

# Items on one page of the queue: a sitting of keyboard judging, and a page that stays short.
PAGE_ITEMS = 20
REVIEW_PERMISSION = "review.review_items"


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = "decided" if request.GET.get("view") == "decided" else "open"
    which = request.GET.get("filter", DECIDED_FILTERS[0])
    if which not in DECIDED_FILTERS:
        which = DECIDED_FILTERS[0]
    scores: dict[int, float | None] = {}
    page: Page[Any]
    if view == "open":
        order = review_queue_order()
        page = Paginator(order, PAGE_ITEMS).get_page(request.GET.get("page"))
        scores = dict(page.object_list)
        items = review_items_by_id([pk for pk, _score in page.object_list])
        query = ""
    else:
        page = Paginator(
            review_items_decided(reviewer=request.user, which=which), PAGE_ITEMS
        ).get_page(request.GET.get("page"))
        items = list(page.object_list)
        query = urlencode({"view": "decided", "filter": which})
    feedback = feedback_for_items(items)
    context = {
        "view": view,
        "filter": which,
        "filters": [
            ("all", _("all")),
            ("not_mine", _("not judged by me")),
            ("single", _("judged by one reviewer")),
            ("disagreement", _("reviewers disagree")),
        ],
        "cards": [
            item_card(item, feedback[item.pk], request.user, informativeness=scores.get(item.pk))
            for item in items
        ],
        "page": page,
        "query": query,
        "counts": review_counts(),
        "agreement": agreement_report(),
        "registers": list(Register),
        "next_url": request.get_full_path(),
    }
    return render(request, "review/queue.html", context)


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def review_item_audio(
    request: AuthenticatedHttpRequest, item_id: int
) -> HttpResponse | FileResponse:
    """The recording of a segment item's submission, to reviewers, while it is kept (the page
    asks the player for the segment's span only); 404 otherwise."""
    recording = item_audio(review_item_get(item_id=item_id))
    if recording is None or not recording.is_available:
        raise Http404("No audio for this item.")
    path = Path(recording.file.path)
    if not path.is_file():
        raise Http404("No audio for this item.")
    response: HttpResponse | FileResponse = ranged_file_response(
        request, path, audio_content_type(recording.file.name)
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _decision(data: dict[str, str]) -> tuple[str, str | None]:
    """(decision, label): the relabel buttons send ``relabel``, the others ``decision``."""
    if relabel := data.get("relabel"):
        return Judgement.Decision.RELABEL, relabel
    return data.get("decision", ""), data.get("label") or None


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_POST
def judgement_create(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    """Accept, reject or relabel an item (the plain form; the page's script uses the API); a
    second judgement by the same reviewer replaces it."""
    item = review_item_get(item_id=item_id)
    back = safe_next(request, reverse("review:queue"))
    try:
        decision, label = _decision(request.POST.dict())
        judgement = judgement_record(
            item=item, reviewer=request.user, decision=decision, label=label
        )
    except ValidationError as invalid:
        error = " ".join(invalid.messages)
    else:
        item.refresh_from_db()
        messages.success(request, str(judgement_result(item, judgement)["message"]))
        return redirect(back)
    messages.error(request, error)
    return redirect(back)
