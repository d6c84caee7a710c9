"""The review queue: open items oldest first, judged with a click or a key, without a reload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from annotation.models import Register
from review.display import item_card
from review.models import Judgement, ReviewItem
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

from .payload import BadPayload, request_data, safe_next, text_field, wants_json

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


def _decision(data: dict[str, object]) -> tuple[str, str | None]:
    """(decision, label): JSON sends both; the plain form's relabel buttons send ``relabel``."""
    if relabel := data.get("relabel"):
        return Judgement.Decision.RELABEL, str(relabel)
    label = data.get("label")
    return text_field(data, "decision"), str(label) if label else None


def _result(item: ReviewItem, judgement: Judgement) -> dict[str, object]:
    return {
        "item": item.pk,
        "decision": judgement.decision,
        "label": judgement.label,
        "status": item.status,
        "final_label": item.final_label,
        "judgements": item.judgements.count(),
        "message": _("%(decision)s: %(label)s. Decided register: %(final)s.")
        % {
            "decision": judgement.get_decision_display().capitalize(),
            "label": judgement.label,
            "final": item.final_label,
        },
    }


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_POST
def judgement_create(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    """Accept, reject or relabel an item; a second judgement by the same reviewer replaces it."""
    item = review_item_get(item_id=item_id)
    back = safe_next(request, reverse("review:queue"))
    try:
        decision, label = _decision(request_data(request))
        judgement = judgement_record(
            item=item, reviewer=request.user, decision=decision, label=label
        )
    except BadPayload:
        error = _('Send JSON like {"decision": "relabel", "label": "familier"}.')
    except ValidationError as invalid:
        error = " ".join(invalid.messages)
    else:
        item.refresh_from_db()
        result = _result(item, judgement)
        if wants_json(request):
            return JsonResponse(result)
        messages.success(request, str(result["message"]))
        return redirect(back)
    if wants_json(request):
        return JsonResponse({"error": error}, status=400)
    messages.error(request, error)
    return redirect(back)
