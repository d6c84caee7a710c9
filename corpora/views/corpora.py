"""Corpus pages: the list (and a new corpus), one corpus, its settings, its deletion, its export."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from corpora.access import Can, corpus_get
from corpora.exports import (
    EXPORT_FORMATS,
    corpus_export_explanations_request,
    corpus_export_lines,
    export_filename,
)
from corpora.forms import CorpusForm
from corpora.selectors import corpus_list_for_user
from corpora.services.corpora import corpus_create, corpus_delete, corpus_update

from .context import corpus_detail_context, role_label

EXPORT_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


@login_required
@require_http_methods(["GET", "POST"])
def corpus_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The corpora one owns or shares, with one's role in each; the form makes a new one."""
    status = 200
    form = CorpusForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            corpus = corpus_create(
                owner=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                vocabulary=form.cleaned_data["vocabulary"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The corpus was created."))
            return redirect("corpora:corpus_detail", public_id=corpus.public_id)
    if form.is_bound:
        status = 400
    corpora = [
        {"corpus": corpus, "role_label": role_label(corpus.role)}  # type: ignore[attr-defined]
        for corpus in corpus_list_for_user(user=request.user)
    ]
    context = {"corpora": corpora, "form": form}
    return render(request, "corpora/corpus_list.html", context, status=status)


@login_required
@require_GET
def corpus_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.VIEW)
    return render(request, "corpora/corpus_detail.html", corpus_detail_context(request, corpus))


@login_required
@require_http_methods(["GET", "POST"])
def corpus_edit(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.MANAGE)
    initial = {
        "name": corpus.name,
        "description": corpus.description,
        "vocabulary": corpus.vocabulary,
    }
    form = CorpusForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            corpus_update(
                corpus=corpus,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                vocabulary=form.cleaned_data["vocabulary"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The corpus was saved."))
            return redirect("corpora:corpus_detail", public_id=corpus.public_id)
    status = 400 if form.is_bound else 200
    context = {"corpus": corpus, "form": form}
    return render(request, "corpora/corpus_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def corpus_delete_view(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation, saying what goes with the corpus; POST deletes."""
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.MANAGE)
    if request.method == "POST":
        corpus_delete(corpus=corpus, acting_user=request.user)
        messages.success(request, _("The corpus and its submissions were deleted."))
        return redirect("corpora:corpus_list")
    context = {
        "corpus": corpus,
        "submission_count": corpus.submissions.count(),
        "member_count": corpus.members.count(),
    }
    return render(request, "corpora/corpus_delete.html", context)


@login_required
@require_GET
def corpus_export_view(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, file_format: str
) -> HttpResponseBase:
    """The whole corpus as a download, written while it is sent (a corpus may be large)."""
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.VIEW)
    if file_format not in EXPORT_FORMATS:
        raise Http404("No such export format.")
    explain = request.GET.get("explain") == "1"
    if explain and (pending := corpus_export_explanations_request(corpus=corpus)):
        messages.info(
            request,
            _(
                "The deciding words of %(count)s imported texts are being computed; export "
                "again in a moment to have them."
            )
            % {"count": pending},
        )
        return redirect("corpora:corpus_detail", public_id=corpus.public_id)
    response = StreamingHttpResponse(
        corpus_export_lines(corpus=corpus, file_format=file_format, explanations=explain),
        content_type=EXPORT_CONTENT_TYPES[file_format],
    )
    filename = export_filename(corpus=corpus, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
