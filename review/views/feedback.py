"""The "Wrong register?" and "Wrong text?" controls of the result page: one POST each."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from review.selectors import prediction_for_feedback
from review.services import feedback_submit

from .payload import BadPayload, optional_index, request_data, text_field, wants_json


def _bad_request(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, message: str
) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"error": message}, status=400)
    messages.error(request, message)
    return redirect("annotation:submission_detail", public_id=public_id)


@login_required
@require_POST
def feedback_create(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Feedback on the register (or a segment's text) the person sees on a submission they may
    annotate: their own, or one of a corpus where they are an annotator, a reviewer or the owner.

    Takes ``{"segment": index|null, "sentence": index|null, "kind": "register"|"transcript",
    "label": "...", "comment": "..."}``; 201 when new, 200 when it updated the person's earlier
    feedback, 400 with ``{"error": ...}`` on bad input, 404 for a submission they cannot see,
    403 for one their corpus role only lets them read.
    """
    try:
        data = request_data(request)
        segment_index = optional_index(data, "segment")
        sentence_index = optional_index(data, "sentence")
        kind = text_field(data, "kind") or "register"
        label = text_field(data, "label")
        comment = text_field(data, "comment")
    except BadPayload:
        message = _(
            'Send JSON like {"label": "familier", "comment": "…"}, with "segment" and '
            '"sentence" as numbers when the feedback is about one of them.'
        )
        return _bad_request(request, public_id, message)
    prediction = prediction_for_feedback(
        user=request.user, public_id=public_id, segment_index=segment_index
    )
    try:
        feedback, created = feedback_submit(
            user=request.user,
            prediction=prediction,
            sentence_index=sentence_index,
            kind=kind,
            suggested_label=label,
            comment=comment,
        )
    except ValidationError as error:
        return _bad_request(request, public_id, " ".join(error.messages))
    message = _("Thanks, sent for review.")
    if wants_json(request):
        return JsonResponse(
            {"id": feedback.pk, "created": created, "message": message},
            status=201 if created else 200,
        )
    messages.success(request, message)
    return redirect("annotation:submission_detail", public_id=public_id)
