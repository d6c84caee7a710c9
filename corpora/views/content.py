"""What goes into a corpus by hand: a new text, or one's own existing submissions; and out of it."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from annotation.forms import TextSubmissionForm
from annotation.services import submission_create_text
from corpora.access import Can, corpus_get
from corpora.forms import SubmissionsAddForm
from corpora.selectors import corpus_submission_get
from corpora.services.corpora import corpus_submission_remove, corpus_submissions_add

from .context import corpus_detail_context, corpus_url

SUBMISSIONS_ANCHOR = "#submissions"


@login_required
@require_POST
def corpus_text_add(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A new text, annotated like any other, in the corpus; its page follows the job."""
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.ANNOTATE)
    form = TextSubmissionForm(request.POST)
    if form.is_valid():
        submission, _created = submission_create_text(
            user=request.user,
            text=form.cleaned_data["text"],
            client_token=form.cleaned_data["client_token"],
            corpus=corpus,
        )
        return redirect("annotation:submission_detail", public_id=submission.public_id)
    context = corpus_detail_context(request, corpus, text_form=form)
    return render(request, "corpora/corpus_detail.html", context, status=400)


@login_required
@require_POST
def corpus_submissions_add_view(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID
) -> HttpResponse:
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.ANNOTATE)
    form = SubmissionsAddForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            added = corpus_submissions_add(
                corpus=corpus,
                submissions=form.cleaned_data["submissions"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(added)
            messages.success(
                request,
                ngettext(
                    "%(count)s submission was added to the corpus.",
                    "%(count)s submissions were added to the corpus.",
                    count,
                )
                % {"count": count},
            )
            return redirect(corpus_url(corpus.public_id, SUBMISSIONS_ANCHOR))
    context = corpus_detail_context(request, corpus, add_form=form)
    return render(request, "corpora/corpus_detail.html", context, status=400)


@login_required
@require_POST
def corpus_submission_remove_view(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, submission_id: uuid.UUID
) -> HttpResponse:
    """Take a submission out of the corpus (its author keeps it): its author or the owner."""
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.VIEW)
    submission = corpus_submission_get(corpus=corpus, public_id=submission_id)
    corpus_submission_remove(submission=submission, acting_user=request.user)
    messages.success(request, _("The submission was removed from the corpus."))
    return redirect(corpus_url(corpus.public_id, SUBMISSIONS_ANCHOR))
