"""The review queue: open items oldest first, judged with a click or a key, without a reload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from annotation.models import Register
from review.display import item_card, judgement_result
from review.models import Judgement
from review.reports import agreement_report
from review.selectors import (
    DECIDED_FILTERS,
    feedback_for_items,
    review_counts,
    review_item_get,
    review_items_decided,
    review_items_open,
)
from review.services import judgement_record

from .payload import safe_next

# Items on one page of the queue: enough for a session of keyboard judging.
PAGE_ITEMS = 50
REVIEW_PERMISSION = "review.review_items"


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_GET
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = "decided" if request.GET.get("view") == "decided" else "open"
    which = request.GET.get("filter", "not_mine")
    if which not in DECIDED_FILTERS:
        which = "not_mine"
    if view == "open":
        items = review_items_open(limit=PAGE_ITEMS)
    else:
        items = review_items_decided(reviewer=request.user, which=which, limit=PAGE_ITEMS)
    feedback = feedback_for_items(items)
    context = {
        "view": view,
        "filter": which,
        "filters": [
            ("not_mine", _("not judged by me")),
            ("single", _("judged by one reviewer")),
            ("disagreement", _("reviewers disagree")),
            ("all", _("all")),
        ],
        "cards": [item_card(item, feedback[item.pk], request.user) for item in items],
        "counts": review_counts(),
        "agreement": agreement_report(),
        "registers": list(Register),
        "next_url": request.get_full_path(),
    }
    return render(request, "review/queue.html", context)


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
