"""Corrections snapshots for staff: take one, list them, download them as CSV or JSON Lines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from review.exports import EXPORT_FORMATS, corrections_write
from review.selectors import (
    correction_set_get,
    correction_set_latest,
    correction_set_list,
    corrections_since,
)
from review.services import correction_set_create


@login_required
@permission_required("review.view_correctionset", raise_exception=True)
@require_GET
def corrections_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    latest = correction_set_latest()
    context = {
        "snapshots": correction_set_list(),
        "latest": latest,
        "pending": len(corrections_since(latest.version if latest else None)),
        "can_create": request.user.has_perm("review.add_correctionset"),
    }
    return render(request, "review/corrections.html", context)


@login_required
@permission_required("review.add_correctionset", raise_exception=True)
@require_POST
def correction_set_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    snapshot = correction_set_create(created_by=request.user)
    if snapshot is None:
        messages.info(request, _("Nothing new since the last snapshot: no snapshot taken."))
    else:
        message = ngettext(
            "Snapshot v%(version)s taken: %(count)s correction.",
            "Snapshot v%(version)s taken: %(count)s corrections.",
            snapshot.count,
        )
        messages.success(request, message % {"version": snapshot.version, "count": snapshot.count})
    return redirect("review:corrections")


@login_required
@permission_required("review.view_correctionset", raise_exception=True)
@require_GET
def correction_set_download(
    request: AuthenticatedHttpRequest, version: int, fmt: str
) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    snapshot = correction_set_get(version=version)
    response = HttpResponse(content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="parlure-corrections-v{snapshot.version}.{fmt}"'
    )
    corrections_write(snapshot.rows, response, fmt)
    return response
