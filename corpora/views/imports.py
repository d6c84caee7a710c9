"""Importing a file into a corpus, and following the import: its progress and its problems."""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from annotation.uploads import file_too_large_message
from corpora.access import Can, corpus_get
from corpora.forms import ImportForm
from corpora.models import Corpus
from corpora.selectors import BatchProgress, batch_progress, corpus_import_get
from corpora.services.imports import import_create

from .context import IMPORT_FORM_IDS, corpus_detail_context, imports_context


def import_too_large_message() -> str:
    return file_too_large_message(settings.PARLURE_IMPORT_MAX_ARCHIVE_BYTES)


# The upload handler must know the import's size limit before the body is read, and the CSRF
# check reads the body: so the check is made here, after the limit is set (Django's documented
# way to change upload handling for one view).
@csrf_exempt
@login_required
@require_POST
def corpus_import_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    request.upload_max_bytes = settings.PARLURE_IMPORT_MAX_ARCHIVE_BYTES  # type: ignore[attr-defined]
    # Checked before the body is read: someone who may not import sends no file to the server.
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.ANNOTATE)
    return _import_receive(request, corpus)


@csrf_protect
def _import_receive(request: AuthenticatedHttpRequest, corpus: Corpus) -> HttpResponse:
    files = request.FILES  # parsing the body is what runs the size-limited upload handler
    if getattr(request, "upload_too_large", False):
        form = ImportForm(auto_id=IMPORT_FORM_IDS)
        form.errors["file"] = form.error_class([import_too_large_message()])
        return _import_form_invalid(request, corpus, form, status=413)
    form = ImportForm(request.POST, files, auto_id=IMPORT_FORM_IDS)
    status = 400
    if form.is_valid():
        try:
            batch, _created = import_create(
                corpus=corpus,
                user=request.user,
                file=form.cleaned_data["file"],
                client_token=form.cleaned_data["client_token"],
            )
        except ValidationError as error:
            form.add_error("file", error)
            status = 413 if error.code == "too_large" else 400
        else:
            return redirect(
                "corpora:corpus_import_detail",
                public_id=corpus.public_id,
                import_id=batch.public_id,
            )
    return _import_form_invalid(request, corpus, form, status=status)


def _import_form_invalid(
    request: AuthenticatedHttpRequest, corpus: Corpus, form: ImportForm, *, status: int
) -> HttpResponse:
    context = corpus_detail_context(request, corpus, import_form=form)
    return render(request, "corpora/corpus_detail.html", context, status=status)


@login_required
@require_GET
def corpus_import_detail(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, import_id: uuid.UUID
) -> HttpResponse:
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.VIEW)
    batch = corpus_import_get(corpus=corpus, public_id=import_id)
    context = {"corpus": corpus, "batch": batch, "progress": batch_progress(batch=batch)}
    return render(request, "corpora/import_detail.html", context)


@login_required
@require_GET
def corpus_import_status(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, import_id: uuid.UUID
) -> HttpResponse:
    """What the import page polls: its progress area, as HTML (the numbers are the API's)."""
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.VIEW)
    batch = corpus_import_get(corpus=corpus, public_id=import_id)
    progress = batch_progress(batch=batch)
    context = {
        "fragment": "corpora/_import_progress.html",
        "finished": progress["finished"],
        "status_label": _progress_label(progress),
        "corpus": corpus,
        "batch": batch,
        "progress": progress,
    }
    return render(request, "poll_fragment.html", context)


@login_required
@require_GET
def corpus_imports_status(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """What the corpus page polls while an import runs: its imports section, as HTML."""
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.VIEW)
    context = imports_context(corpus=corpus)
    finished = bool(context["imports_finished"])
    label = _("All imports are finished.") if finished else _("Imports are running.")
    context.update(fragment="corpora/_imports.html", finished=finished, status_label=label)
    return render(request, "poll_fragment.html", context)


def _progress_label(progress: BatchProgress) -> str:
    if progress["finished"]:
        return _("The import is finished.")
    ended = progress["done"] + progress["failed"] + progress["cancelled"]
    return _("%(ended)s of %(total)s items processed.") % {
        "ended": ended,
        "total": progress["total"],
    }
