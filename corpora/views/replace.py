"""Find and replace across the transcripts of a corpus (the page: annotation.views.replace)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from annotation.selectors import corpus_transcripts
from annotation.views.replace import replace_page
from corpora.access import Can, corpus_get


@login_required
@require_http_methods(["GET", "POST"])
def corpus_replace(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.ANNOTATE)
    context = {
        "scope": "corpus",
        "corpus": corpus,
        "back_url": reverse("corpora:corpus_detail", args=[corpus.public_id]),
        "action_url": reverse("corpora:corpus_replace", args=[corpus.public_id]),
    }
    return replace_page(request, transcripts=corpus_transcripts(corpus=corpus), context=context)
