"""Audio pages and endpoints: send a recording, listen to it, correct and export its transcript."""

import difflib
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from annotation.access import Can, submission_allows, submission_get
from annotation.forms import AudioSubmissionForm, TextSubmissionForm
from annotation.models import Submission
from annotation.ranges import audio_content_type, ranged_file_response
from annotation.selectors import (
    segment_get,
    transcript_get,
    transcript_revision_get,
    transcript_revision_list,
)
from annotation.services import (
    audio_too_large_message,
    segment_speaker_set,
    submission_cancel,
    submission_create_audio,
    transcript_revision_revert,
    transcript_speaker_rename,
    transcript_validate,
)
from annotation.transcript_exports import (
    EXPORT_FORMATS,
    transcript_export,
    transcript_export_disposition,
)

from .submissions import new_submission_context


@login_required
@require_POST
def submission_new_audio(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Receive an uploaded file from the page's form without JavaScript (the page's script sends
    to the API instead)."""
    files = request.FILES  # parsing the body is what runs the size-limited upload handler
    if getattr(request, "upload_too_large", False):
        # The upload handler dropped the file: say why, rather than "this field is required".
        form = AudioSubmissionForm()
        form.errors["audio"] = form.error_class([audio_too_large_message()])
        return _audio_form_invalid(request, form, status=413)
    form = AudioSubmissionForm(request.POST, files)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["audio"]
        try:
            submission, _created = submission_create_audio(
                user=request.user,
                file=upload,
                size=upload.size,
                original_name=upload.name or "",
                source=form.cleaned_data["source"],
                client_token=form.cleaned_data["client_token"],
                speakers=form.cleaned_data["speakers"],
            )
        except ValidationError as error:
            form.add_error("audio", error)
            status = 413 if error.code == "too_large" else 400
        else:
            return redirect("annotation:submission_detail", public_id=submission.public_id)
    return _audio_form_invalid(request, form, status=status)


def _audio_form_invalid(
    request: AuthenticatedHttpRequest, form: AudioSubmissionForm, *, status: int
) -> HttpResponse:
    context = new_submission_context(TextSubmissionForm(), audio_form=form)
    return render(request, "annotation/submission_new.html", context, status=status)


@login_required
@require_GET
def submission_audio(
    request: AuthenticatedHttpRequest, public_id: str
) -> HttpResponse | FileResponse:
    """The recording, to the people who may read the submission, while it is kept."""
    submission = submission_get(user=request.user, public_id=public_id, can=Can.VIEW)
    recording = getattr(submission, "audio", None)
    if recording is None or not recording.is_available:
        raise Http404("No audio for this submission.")
    path = Path(recording.file.path)
    if not path.is_file():
        raise Http404("No audio for this submission.")
    response = ranged_file_response(request, path, audio_content_type(recording.file.name))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def transcript_validate_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    submission = submission_get(user=request.user, public_id=public_id, can=Can.REVIEW)
    transcript = transcript_get(submission=submission)
    transcript_validate(transcript=transcript, acting_user=request.user)
    messages.success(request, _("Transcript validated. Its recording has been deleted."))
    return redirect("annotation:submission_detail", public_id=submission.public_id)


@login_required
@require_POST
def submission_cancel_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    submission = submission_get(user=request.user, public_id=public_id, can=Can.MANAGE)
    if submission_cancel(submission=submission, acting_user=request.user):
        messages.success(request, _("The job was cancelled."))
    return redirect("annotation:submission_detail", public_id=submission.public_id)


@login_required
@require_GET
def transcript_export_view(
    request: AuthenticatedHttpRequest, public_id: str, fmt: str
) -> HttpResponse:
    submission = submission_get(user=request.user, public_id=public_id, can=Can.VIEW)
    if fmt not in EXPORT_FORMATS or not hasattr(submission, "transcript"):
        raise Http404("No such export.")
    response = HttpResponse(transcript_export(submission, fmt), content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = transcript_export_disposition(submission, fmt)
    return response


def _word_diff(before: str, after: str) -> SafeString:
    """Words removed in <del>, added in <ins>: a correction as a person reads it."""
    old, new = before.split(), after.split()
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if tag in {"delete", "replace"}:
            parts.append(f"<del>{escape(' '.join(old[i1:i2]))}</del>")
        if tag in {"insert", "replace"}:
            parts.append(f"<ins>{escape(' '.join(new[j1:j2]))}</ins>")
        if tag == "equal":
            parts.append(escape(" ".join(old[i1:i2])))
    return mark_safe(" ".join(parts))


@login_required
@require_GET
def transcript_history(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    submission = submission_get(user=request.user, public_id=public_id, can=Can.VIEW)
    transcript = transcript_get(submission=submission)
    # Undo is offered where it can work: the person may correct, the transcript is open, and the
    # segment still reads what this correction wrote (otherwise a later one would be lost).
    can_undo = submission_allows(user=request.user, submission=submission, can=Can.ANNOTATE)
    can_undo = can_undo and transcript.validated_at is None
    can_undo = can_undo and submission.status == Submission.Status.DONE
    revisions = [
        {
            "revision": revision,
            "diff": _word_diff(revision.before, revision.after),
            "undoable": can_undo and revision.segment.text == revision.after,
        }
        for revision in transcript_revision_list(transcript=transcript)
    ]
    context = {"submission": submission, "transcript": transcript, "revisions": revisions}
    return render(request, "annotation/transcript_history.html", context)


@login_required
@require_POST
def transcript_revision_revert_view(
    request: AuthenticatedHttpRequest, public_id: str, version: int
) -> HttpResponse:
    submission = submission_get(user=request.user, public_id=public_id, can=Can.ANNOTATE)
    revision = transcript_revision_get(
        transcript=transcript_get(submission=submission), version=version
    )
    try:
        undo = transcript_revision_revert(revision=revision, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Version %(version)s undone: the segment reads as before it (version %(new)s).")
            % {"version": revision.version, "new": undo.version},
        )
    return redirect("annotation:transcript_history", public_id=submission.public_id)


def _back_to_transcript(public_id: object, anchor: str) -> HttpResponse:
    return redirect(reverse("annotation:submission_detail", args=[public_id]) + f"#{anchor}")


@login_required
@require_POST
def transcript_speaker_rename_view(
    request: AuthenticatedHttpRequest, public_id: str
) -> HttpResponse:
    """The "Speakers" panel's form: a name for one speaker label, for the whole transcript."""
    submission = submission_get(user=request.user, public_id=public_id, can=Can.ANNOTATE)
    transcript = transcript_get(submission=submission)
    label = request.POST.get("label", "")
    try:
        transcript_speaker_rename(
            transcript=transcript,
            label=label,
            name=request.POST.get("name", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Speaker %(label)s renamed.") % {"label": label})
    return _back_to_transcript(submission.public_id, "transcript-speakers")


@login_required
@require_POST
def segment_speaker_view(
    request: AuthenticatedHttpRequest, public_id: str, index: int
) -> HttpResponse:
    """A segment's speaker form: an existing speaker, a new one, or nobody."""
    submission = submission_get(user=request.user, public_id=public_id, can=Can.ANNOTATE)
    segment = segment_get(transcript=transcript_get(submission=submission), index=index)
    try:
        segment_speaker_set(
            segment=segment, speaker=request.POST.get("speaker", ""), acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back_to_transcript(submission.public_id, f"segment-{segment.index}")
