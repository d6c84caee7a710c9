"""Pages for the main job: submit a text, follow it to its label, list one's own submissions."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from annotation.access import Can, submission_get
from annotation.forms import AudioSubmissionForm, SubmissionFilterForm, TextSubmissionForm
from annotation.highlight import sentence_views
from annotation.models import Submission
from annotation.selectors import (
    SubmissionFilters,
    live_segments_shown,
    segments_uncertain_share,
    speaker_label_next,
    submission_abilities,
    submission_list_for_user,
    transcript_speakers,
)
from annotation.services import (
    prediction_explain_request,
    submission_create_text,
    submission_delete,
)
from annotation.verdict import verdict_for
from annotation.workers import submission_worker_warning
from corpora.access import corpora_allowing

# The speeds the transcript player offers.
PLAYBACK_RATES = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


def new_submission_context(
    text_form: TextSubmissionForm, audio_form: AudioSubmissionForm | None = None
) -> dict[str, object]:
    """The new-submission page: a text form and an audio form (upload or record)."""
    token = uuid.uuid4()
    return {
        "form": text_form,
        "audio_form": audio_form or AudioSubmissionForm(initial={"client_token": token}),
        "client_token": token,
        "audio_url": reverse("annotation:submission_new_audio"),
        "audio_max_mb": f"{settings.PARLURE_AUDIO_MAX_BYTES / 1024 / 1024:g}",
        "audio_max_seconds": int(settings.PARLURE_AUDIO_MAX_SECONDS),
        "audio_retention_hours": f"{settings.AUDIO_RETENTION_HOURS:g}",
    }


def result_context(submission: Submission, *, user: User) -> dict[str, object]:
    """What the result area shows: the label, or for audio the job's progress and the editor.

    ``can_annotate``, ``can_review`` and ``can_manage`` say which controls the person may use
    (corpora.access): the templates show only those.
    """
    abilities = submission_abilities(user=user, submission=submission)
    context: dict[str, object] = {
        "submission": submission,
        "retention_hours": f"{settings.AUDIO_RETENTION_HOURS:g}",
        "can_annotate": abilities.annotate,
        "can_review": abilities.review,
        "can_manage": abilities.manage,
        "is_mine": submission.user_id == user.pk,
        # Set when no worker serves the job's queue or the job is stalled: computed once here,
        # read by the page, the partial and the status poll alike.
        "worker_warning": submission_worker_warning(submission=submission, user=user),
        "explanation_pending": False,
        # While a recording is transcribed: what is decoded so far, with each register once read.
        "live_segments": live_segments_shown(submission=submission),
    }
    prediction = submission.current_prediction
    if prediction is not None:
        context["verdict"] = verdict_for(prediction)
    transcript = getattr(submission, "transcript", None)
    if transcript is None:
        if prediction is not None and prediction.explanation_pending:
            # Classified without explanations (an import): someone opens it, so compute them
            # now; the page polls until the highlights arrive. (A recording's page shows no
            # deciding words: nothing to compute for it.)
            prediction_explain_request(prediction=prediction)
            context["explanation_pending"] = True
        if prediction is not None:
            context["sentences"] = sentence_views(submission.text, prediction.sentence_list())
        return context
    public_id = submission.public_id
    recording = getattr(submission, "audio", None)
    open_to_changes = transcript.validated_at is None
    segments = list(transcript.segments.select_related("current_prediction").order_by("index"))
    # Shown only when speakers were labelled (or someone gave a segment one).
    speakers = transcript_speakers(transcript=transcript, segments=segments)
    context.update(
        transcript=transcript,
        # Corrections wait for the job to be done (the API refuses them before): while the
        # transcript is classified, the page shows it read-only, and the poll that brings the
        # result brings the editor, so nothing typed is replaced under the person's hands.
        can_correct=abilities.annotate
        and open_to_changes
        and submission.status == Submission.Status.DONE,
        can_validate=abilities.review and open_to_changes,
        segments=segments,
        # The words the speech model was unsure of, to check first (the editor jumps to them).
        uncertain_share=segments_uncertain_share(segments),
        speakers=speakers,
        speaker_new_label=speaker_label_next(speakers),
        speaker_rename_url=reverse("annotation:transcript_speaker_rename", args=[public_id]),
        audio_src=(
            reverse("annotation:submission_audio", args=[public_id])
            if recording is not None and recording.is_available
            else None
        ),
        # The API corrects a segment (PATCH): the page's script fills in the index.
        segment_save_url_template=reverse("api:transcript-segment", args=[public_id, 0]).replace(
            "/0/", "/__INDEX__/"
        ),
        # The API accepts an uncertain word (POST): the script fills in both indexes.
        word_accept_url_template=reverse(
            "api:transcript-segment-word-accept", args=[public_id, 0, 0]
        ).replace("/0/words/0/", "/__INDEX__/words/__WORD__/"),
        validate_url=reverse("annotation:transcript_validate", args=[public_id]),
        history_url=reverse("annotation:transcript_history", args=[public_id]),
        # The player's speeds: (value for the audio element, label in the page's language).
        playback_rates=[
            (
                f"{rate:g}",
                f"{rate:g}".replace(".", get_format("DECIMAL_SEPARATOR"))
                + "\N{MULTIPLICATION SIGN}",
            )
            for rate in PLAYBACK_RATES
        ],
        export_urls={
            fmt: reverse("annotation:transcript_export", args=[public_id, fmt])
            for fmt in ("txt", "srt", "vtt", "json")
        },
    )
    return context


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
        context = new_submission_context(form)
        return render(request, "annotation/submission_new.html", context, status=400)
    form = TextSubmissionForm(initial={"client_token": uuid.uuid4()})
    return render(request, "annotation/submission_new.html", new_submission_context(form))


@login_required
@require_GET
def submission_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    submission = submission_get(user=request.user, public_id=public_id, can=Can.VIEW)
    context = result_context(submission, user=request.user)
    # What the result poll announces as the job moves on, in the reader's language.
    context["status_labels"] = {
        str(value): str(label) for value, label in Submission.Status.choices
    }
    return render(request, "annotation/submission_detail.html", context)


@login_required
@require_GET
def submission_result(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The result area alone, as HTML: the page's script fetches it when the job moves on."""
    submission = submission_get(user=request.user, public_id=public_id, can=Can.VIEW)
    context = result_context(submission, user=request.user)
    return render(request, "annotation/_result.html", context)


@login_required
@require_GET
def submission_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubmissionFilterForm(request.GET or None, user=request.user)
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
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        # The bulk actions: "add to a corpus" offers those where the person may add.
        "bulk_corpora": corpora_allowing(user=request.user, can=Can.ANNOTATE).order_by("name"),
        "bulk_next": request.get_full_path(),
    }
    return render(request, "annotation/submission_list.html", context, status=status)


@login_required
@require_POST
def submission_remove(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    submission = submission_get(user=request.user, public_id=public_id, can=Can.MANAGE)
    submission_delete(submission=submission, acting_user=request.user)
    messages.success(request, _("The submission was deleted."))
    return redirect("annotation:submission_list")


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")
