"""Pages for the main job: submit a text, follow it to its label, list one's own submissions."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest

from .forms import SubmissionFilterForm, TextSubmissionForm
from .selectors import SubmissionFilters, submission_get_for_user, submission_list_for_user
from .services import submission_create_text, submission_delete


@login_required
@require_http_methods(["GET", "POST"])
def submission_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = TextSubmissionForm(request.POST)
        if form.is_valid():
            submission, _created = submission_create_text(
                user=request.user,
                text=form.cleaned_data["text"],
                client_token=form.cleaned_data["client_token"],
            )
            return redirect("annotation:submission_detail", public_id=submission.public_id)
        return render(request, "annotation/submission_new.html", {"form": form}, status=400)
    form = TextSubmissionForm(initial={"client_token": uuid.uuid4()})
    return render(request, "annotation/submission_new.html", {"form": form})


@login_required
@require_GET
def submission_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    submission = submission_get_for_user(user=request.user, public_id=public_id)
    return render(request, "annotation/submission_detail.html", {"submission": submission})


@login_required
@require_GET
def submission_status(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> JsonResponse:
    """What the result page polls while a job runs: the state and the rendered result."""
    submission = submission_get_for_user(user=request.user, public_id=public_id)
    html = render_to_string("annotation/_result.html", {"submission": submission}, request=request)
    return JsonResponse(
        {"status": submission.status, "finished": submission.is_finished, "html": html}
    )


@login_required
@require_GET
def submission_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubmissionFilterForm(request.GET or None)
    filters: SubmissionFilters = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = form.filters()
        else:
            status = 400
    submissions = submission_list_for_user(user=request.user, filters=filters)
    page = Paginator(submissions, settings.PARLURE_SUBMISSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "annotation/submission_list.html", context, status=status)


@login_required
@require_POST
def submission_remove(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    submission = submission_get_for_user(user=request.user, public_id=public_id)
    submission_delete(submission=submission, acting_user=request.user)
    messages.success(request, _("The submission was deleted."))
    return redirect("annotation:submission_list")


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")
