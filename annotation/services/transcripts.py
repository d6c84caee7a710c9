"""Transcripts: stored once per submission, corrected segment by segment, validated by a person.

Every correction is a revision (who, when, before, after) and bumps the transcript's version; the
register is classified again for each version, on the nlp queue, and a result for an older
version is dropped.
"""

import logging
import re
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from annotation.models import (
    AudioRecording,
    LiveSegment,
    Prediction,
    Segment,
    Submission,
    Transcript,
    TranscriptRevision,
)
from common import jobs
from common.jobs import job_enqueue
from parlure_ml.register import RegisterPrediction
from parlure_ml.speech.alignment import align_words
from parlure_ml.speech.transcriber import Transcript as SpeechTranscript

from .audio import audio_delete
from .live import words_stored
from .submissions import prediction_values, submission_mark_failed, text_clean

logger = logging.getLogger(__name__)

REASON_NO_SPEECH = gettext_noop("No speech was detected in this recording.")
REASON_SPEECH_MODEL_ERROR = gettext_noop(
    "The speech model could not transcribe this recording. The team has been told."
)
REASON_AUDIO_GONE = gettext_noop("The recording was deleted before it could be transcribed.")


def transcript_text(segments: Sequence[Segment]) -> str:
    return " ".join(segment.text.strip() for segment in segments if segment.text.strip())


@transaction.atomic
def submission_progress_update(*, submission_id: int, progress: float) -> bool:
    """Record how far a job is. Returns False when it should stop (cancelled or gone)."""
    updated = Submission.objects.filter(
        pk=submission_id, status=Submission.Status.TRANSCRIBING
    ).update(progress=max(0.0, min(1.0, progress)), heartbeat_at=timezone.now())
    return updated == 1


@transaction.atomic
def submission_cancel(*, submission: Submission, acting_user: User) -> bool:
    """Stop a job that has not finished; the worker notices at its next progress report."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.is_finished:
        return False
    submission.status = Submission.Status.CANCELLED
    submission.finished_at = timezone.now()
    submission.save(update_fields=["status", "finished_at"])
    LiveSegment.objects.filter(submission=submission).delete()
    recording = AudioRecording.objects.filter(submission=submission).first()
    if recording is not None:  # nothing will be transcribed: the voice is not needed any more
        audio_delete(recording=recording, reason="job cancelled")
    logger.info("submission %s cancelled by user %s", submission.pk, acting_user.pk)
    return True


@transaction.atomic
def transcript_record(
    *,
    submission_id: int,
    result: SpeechTranscript,
    speakers: Sequence[str] | None = None,
) -> Transcript | None:
    """Store the speech model's transcript and queue its classification.

    ``speakers``, when given, is the speaker label of each of ``result``'s segments ("S1"...);
    a list that does not match the segments one for one is ignored (no speakers stored).

    A second call (a re-delivered task) finds the transcript already there and stores nothing.
    No speech at all fails the job with a reason instead of storing an empty transcript.
    """
    submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
    if submission is None or submission.is_finished:
        return None
    if Transcript.objects.filter(submission=submission).exists():
        return None
    if speakers is not None and len(speakers) != len(result.segments):
        logger.warning(
            "submission %s: %s speaker labels for %s segments, none stored",
            submission_id,
            len(speakers),
            len(result.segments),
        )
        speakers = None
    labels = list(speakers) if speakers is not None else [""] * len(result.segments)
    segments = [
        (segment, label)
        for segment, label in zip(result.segments, labels, strict=True)
        if segment.text.strip()
    ]
    if not segments:
        submission_mark_failed(submission, REASON_NO_SPEECH)
        return None
    transcript = Transcript.objects.create(
        submission=submission,
        language=result.language or "",
        detected_language=result.detected_language or "",
        language_probability=result.language_probability,
        duration_s=result.duration_s,
        model=result.model,
    )
    # The segments shown while it ran give way to the transcript's own.
    LiveSegment.objects.filter(submission=submission).delete()
    stored = Segment.objects.bulk_create(
        Segment(
            transcript=transcript,
            index=index,
            start=segment.start,
            end=segment.end,
            text=segment.text.strip(),
            words=words_stored(segment.words),
            speaker=label,
        )
        for index, (segment, label) in enumerate(segments)
    )
    submission.text = transcript_text(stored)
    submission.status = Submission.Status.CLASSIFYING
    submission.progress = 1.0
    submission.heartbeat_at = timezone.now()  # classification follows: the job is alive
    submission.save(update_fields=["text", "status", "progress", "heartbeat_at"])
    _enqueue_transcript_classification(transcript)
    return transcript


def _enqueue_transcript_classification(transcript: Transcript) -> None:
    job_enqueue(jobs.CLASSIFY_TRANSCRIPT, transcript.pk, transcript.version)


@transaction.atomic
def transcript_predictions_record(
    *,
    transcript_id: int,
    version: int,
    whole: RegisterPrediction,
    segments: Sequence[tuple[int, RegisterPrediction]],
    latency_ms: int,
) -> list[Prediction]:
    """Store the register of the whole transcript and of the given segments, for one version.

    Returns the new predictions, the whole transcript's first; what follows them in other apps
    (review) is the caller's: ``pipeline.results.transcript_predictions_record``.

    ``latency_ms`` is the time of the whole batch; each row gets its share (the model ran them
    together, so no text has a time of its own).

    Dropped (nothing stored, an empty list) when the transcript has moved on to a newer version
    meanwhile, or when this version was already classified (a re-delivered task).
    """
    transcript = (
        Transcript.objects.select_for_update().select_related("submission").get(pk=transcript_id)
    )
    submission = transcript.submission
    if transcript.version != version or submission.status in {
        Submission.Status.FAILED,
        Submission.Status.CANCELLED,
    }:
        return []
    if Prediction.objects.filter(
        submission=submission, segment__isnull=True, transcript_version=version
    ).exists():
        return []
    share_ms = round(latency_ms / (1 + len(segments)))
    submission.current_prediction = _prediction(submission, None, version, whole, share_ms)
    recorded = [submission.current_prediction]
    by_index = {segment.index: segment for segment in transcript.segments.all()}
    for index, result in segments:
        segment = by_index[index]
        segment.current_prediction = _prediction(submission, segment, version, result, share_ms)
        segment.save(update_fields=["current_prediction"])
        recorded.append(segment.current_prediction)
    fields = ["current_prediction"]
    if submission.status != Submission.Status.DONE:
        submission.status = Submission.Status.DONE
        submission.finished_at = timezone.now()
        fields += ["status", "finished_at"]
    submission.save(update_fields=fields)
    return recorded


def _prediction(
    submission: Submission,
    segment: Segment | None,
    version: int,
    result: RegisterPrediction,
    latency_ms: int,
) -> Prediction:
    prediction = Prediction.objects.create(
        submission=submission,
        segment=segment,
        transcript_version=version,
        latency_ms=latency_ms,
        **prediction_values(result),
    )
    return prediction


@transaction.atomic
def transcript_correct(*, segment: Segment, text: str, acting_user: User) -> Segment:
    """Replace a segment's text, record the revision, and classify the new version.

    The words get times again, aligned on the old ones (``align_words``), so that a corrected
    segment still plays from a clicked word. Saving the same text again (autosave, a double
    click) changes nothing.
    """
    transcript = Transcript.objects.get(pk=segment.transcript_id)
    corrected = transcript_correct_segments(
        transcript=transcript, texts={segment.pk: text}, acting_user=acting_user
    )
    return corrected[0]


def transcript_check_open(transcript: Transcript) -> None:
    """Raise ValidationError when the transcript may not be corrected now (validated, or its job
    is not done); the error's code says which."""
    if transcript.validated_at is not None:
        raise ValidationError(
            _("This transcript was validated; it can no longer be changed."), code="validated"
        )
    status = Submission.objects.values_list("status", flat=True).get(pk=transcript.submission_id)
    if status != Submission.Status.DONE:
        raise ValidationError(
            _("This transcript cannot be corrected while its job is not done."), code="not_done"
        )


@transaction.atomic
def transcript_correct_segments(
    *, transcript: Transcript, texts: Mapping[int, str], acting_user: User
) -> list[Segment]:
    """Correct segments of one transcript (``texts``: segment id → new text), in index order.

    Each segment whose text changes is one revision and one version, exactly as if corrected by
    hand; the last version is classified once. Every text is checked before anything changes, so
    one refused text changes nothing. Returns the segments, changed or not.
    """
    # The transcript first, then its segments: every correction locks in this order.
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    transcript_check_open(transcript)
    cleaned = {pk: text_clean(text) for pk, text in texts.items()}
    segments = list(
        Segment.objects.select_for_update()
        .select_related("transcript")
        .filter(transcript=transcript, pk__in=cleaned)
        .order_by("index")
    )
    changed = False
    for segment in segments:
        text = cleaned[segment.pk]
        if text == segment.text:
            continue
        transcript.version += 1
        TranscriptRevision.objects.create(
            transcript=transcript,
            segment=segment,
            version=transcript.version,
            author=acting_user,
            before=segment.text,
            after=text,
        )
        segment.words = align_words(segment.words, text, start=segment.start, end=segment.end)
        segment.text = text
        segment.edited = True
        segment.save(update_fields=["text", "words", "edited"])
        changed = True
    if not changed:
        return segments
    transcript.save(update_fields=["version", "updated_at"])
    for segment in segments:
        segment.transcript = transcript
    submission = Submission.objects.select_for_update().get(pk=transcript.submission_id)
    submission.text = transcript_text(list(transcript.segments.order_by("index")))
    submission.save(update_fields=["text"])
    _enqueue_transcript_classification(transcript)
    return segments


@transaction.atomic
def transcript_revision_revert(
    *, revision: TranscriptRevision, acting_user: User
) -> TranscriptRevision:
    """Undo one correction: the segment gets its text from before it back, as a new revision.

    Refused (ValidationError, code "changed_since") when the segment was corrected again after
    it: undoing would silently throw that later correction away.
    """
    transcript = Transcript.objects.select_for_update().get(pk=revision.transcript_id)
    segment = Segment.objects.select_for_update().get(pk=revision.segment_id)
    if segment.text != revision.after:
        raise ValidationError(
            _(
                "This segment was corrected again after this change; undo the later "
                "corrections first."
            ),
            code="changed_since",
        )
    transcript_correct_segments(
        transcript=transcript, texts={segment.pk: revision.before}, acting_user=acting_user
    )
    return TranscriptRevision.objects.filter(transcript=transcript).latest("version")


@transaction.atomic
def transcript_validate(*, transcript: Transcript, acting_user: User) -> Transcript:
    """Mark the transcript correct; its audio is then no longer needed and is deleted."""
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    if transcript.validated_at is None:
        transcript.validated_at = timezone.now()
        transcript.validated_by = acting_user
        transcript.save(update_fields=["validated_at", "validated_by", "updated_at"])
    recording = getattr(transcript.submission, "audio", None)
    if recording is not None:
        audio_delete(recording=recording, reason="transcript validated")
    return transcript


def audio_missing_fail(*, submission_id: int) -> None:
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is not None and not submission.is_finished:
            submission_mark_failed(submission, REASON_AUDIO_GONE)


# A speaker label: "S" and a number, as parlure_ml.speech.speakers writes them.
SPEAKER_LABEL = re.compile(r"S[1-9][0-9]?")
SPEAKER_NAME_MAX_CHARS = 60


def speaker_label_check(label: str) -> str:
    """``label`` if it is a speaker label ("S1" to "S99"); ValidationError otherwise."""
    if not SPEAKER_LABEL.fullmatch(label):
        raise ValidationError(
            _('A speaker is "S" followed by a number, such as S1 or S2.'), code="bad_speaker"
        )
    return label


@transaction.atomic
def transcript_speaker_rename(
    *, transcript: Transcript, label: str, name: str, acting_user: User
) -> Transcript:
    """Give speaker ``label`` a name for the whole transcript; an empty name takes it back
    (the label shows again). Refused while the transcript may not be corrected
    (``transcript_check_open``), and for a label no segment has.

    Names are not the text: the version does not change and nothing is classified again. Who
    renamed whom is in the log.
    """
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    transcript_check_open(transcript)
    speaker_label_check(label)
    if not transcript.segments.filter(speaker=label).exists():
        raise ValidationError(
            _("No segment of this transcript has the speaker %(label)s.") % {"label": label},
            code="unknown_speaker",
        )
    name = " ".join("".join(ch for ch in name if ch.isprintable()).split())
    if len(name) > SPEAKER_NAME_MAX_CHARS:
        raise ValidationError(
            _("A speaker's name has at most %(max)s characters.") % {"max": SPEAKER_NAME_MAX_CHARS},
            code="too_long",
        )
    names = dict(transcript.speaker_names or {})
    before = names.get(label, "")
    if name == before:
        return transcript
    if name:
        names[label] = name
    else:
        names.pop(label, None)
    transcript.speaker_names = names
    transcript.save(update_fields=["speaker_names", "updated_at"])
    logger.info(
        "transcript %s: speaker %s renamed from %r to %r by user %s",
        transcript.pk,
        label,
        before,
        name,
        acting_user.pk,
    )
    return transcript


@transaction.atomic
def segment_speaker_set(*, segment: Segment, speaker: str, acting_user: User) -> Segment:
    """Say who speaks a segment: an existing speaker label or a new one ("S3"), or "" for
    nobody. Refused while the transcript may not be corrected (``transcript_check_open``).

    Like names, it leaves the text, the version and the register alone; the log says who
    changed it, from what to what.
    """
    # The transcript first, then its segment: the order every correction locks in.
    transcript = Transcript.objects.select_for_update().get(pk=segment.transcript_id)
    transcript_check_open(transcript)
    if speaker:
        speaker_label_check(speaker)
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    segment.transcript = transcript
    if segment.speaker == speaker:
        return segment
    before = segment.speaker
    segment.speaker = speaker
    segment.save(update_fields=["speaker"])
    transcript.save(update_fields=["updated_at"])
    logger.info(
        "transcript %s: segment %s reassigned from speaker %r to %r by user %s",
        transcript.pk,
        segment.index,
        before,
        speaker,
        acting_user.pk,
    )
    return segment


@transaction.atomic
def segment_word_accept(*, segment: Segment, index: int, word: str, acting_user: User) -> Segment:
    """A person listened to word ``index`` of the segment and says it is right: it is no longer
    marked uncertain (its confidence is kept, as the speech model's estimate).

    ``word`` is the word as the person saw it: when the segment's word there is another one (the
    segment was corrected meanwhile, in another tab or by someone else), nothing changes and the
    refusal's code is "word_changed". An index the segment's words do not have is "bad_index".
    Refused like every other edit while the transcript may not be corrected
    (``transcript_check_open``: "validated", "not_done").

    Accepting is not a correction: the text does not change, so there is no revision, the
    version stays, and nothing is classified again; the log says who accepted which word, by
    its position.
    Accepting a word that is not (or no longer) uncertain changes nothing.
    """
    # The transcript first, then its segment: the order every correction locks in.
    transcript = Transcript.objects.select_for_update().get(pk=segment.transcript_id)
    transcript_check_open(transcript)
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    segment.transcript = transcript
    words = list(segment.words or [])
    if not 0 <= index < len(words):
        raise ValidationError(
            _("This segment has no word number %(number)s.") % {"number": index + 1},
            code="bad_index",
        )
    if str(words[index].get("word", "")).strip() != word.strip():
        raise ValidationError(
            _("This word changed since the page was loaded; reload the page to see it."),
            code="word_changed",
        )
    if not words[index].get("uncertain"):
        return segment
    words[index] = {**words[index], "uncertain": False}
    segment.words = words
    segment.save(update_fields=["words"])
    transcript.save(update_fields=["updated_at"])
    # Ids only: what people said stays out of the logs.
    logger.info(
        "transcript %s: word %s of segment %s accepted by user %s",
        transcript.pk,
        index,
        segment.index,
        acting_user.pk,
    )
    return segment
