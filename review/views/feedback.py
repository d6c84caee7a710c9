"""The "Wrong register?" and "Wrong text?" controls of the result page, as plain forms: one POST
each, answered with the page and a message. The page's script sends the same to the API instead
(review.api)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from review.selectors import prediction_for_feedback
from review.services import feedback_submit

from .payload import BadPayload, optional_index, text_field


def _bad_request(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, message: str
) -> HttpResponse:
    messages.error(request, message)
    return redirect("annotation:submission_detail", public_id=public_id)


@login_required
@require_POST
def feedback_create(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Feedback on the register (or a segment's text) the person sees on a submission they may
    annotate: their own, or one of a corpus where they are an annotator, a reviewer or the owner.

    Takes the form's ``segment``, ``sentence``, ``kind``, ``label`` and ``comment``, and comes
    back to the result page with a message; 404 for a submission they cannot see, 403 for one
    their corpus role only lets them read.
    """
    try:
        data = request.POST.dict()
        segment_index = optional_index(data, "segment")
        sentence_index = optional_index(data, "sentence")
        kind = text_field(data, "kind") or "register"
        label = text_field(data, "label")
        comment = text_field(data, "comment")
    except BadPayload:
        return _bad_request(request, public_id, _("This form was not filled in as expected."))
    prediction = prediction_for_feedback(
        user=request.user, public_id=public_id, segment_index=segment_index
    )
    try:
        feedback_submit(
            user=request.user,
            prediction=prediction,
            sentence_index=sentence_index,
            kind=kind,
            suggested_label=label,
            comment=comment,
        )
    except ValidationError as error:
        return _bad_request(request, public_id, " ".join(error.messages))
    messages.success(request, _("Thanks, sent for review."))
    return redirect("annotation:submission_detail", public_id=public_id)
