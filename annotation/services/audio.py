"""Audio submissions: accept a file only once its content is checked, and delete it on time."""

import io
import logging
import uuid
from datetime import timedelta
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from annotation.models import SPEAKERS_CHOICES, AudioRecording, Submission
from annotation.uploads import file_too_large_message
from common import jobs
from common.jobs import job_enqueue
from parlure_ml.speech.audio import AudioError, AudioInfo, probe_audio, remux_seekable

from .submissions import submission_by_token

if TYPE_CHECKING:
    from corpora.models import Corpus, ImportBatch

logger = logging.getLogger(__name__)

# The probe's stable codes, as people read them.
_AUDIO_MESSAGES = {
    "empty": lambda: _("The file is empty."),
    "not_audio": lambda: _("This file is not audio, whatever its name says."),
    "several_streams": lambda: _(
        "This file holds several audio or video streams; send a file with one sound track."
    ),
    "undecodable": lambda: _("This audio file is damaged or in a format Parlure cannot read."),
    "too_short": lambda: (
        _("The recording is too short: at least %(min)s s of sound is needed.")
        % {"min": settings.PARLURE_AUDIO_MIN_SECONDS}
    ),
    "too_long": lambda: (
        _("The recording is too long: the limit is %(minutes)s minutes.")
        % {"minutes": f"{settings.PARLURE_AUDIO_MAX_SECONDS / 60:g}"}
    ),
}


def audio_too_large_message() -> str:
    return file_too_large_message(settings.PARLURE_AUDIO_MAX_BYTES)


def speakers_invalid_message() -> str:
    return _('Speakers: leave empty, or give "auto" or a number from 2 to 6.')


def audio_check(file: IO[bytes]) -> AudioInfo:
    """Probe the content (never the name or declared type); ValidationError says what is wrong."""
    try:
        return probe_audio(
            file,
            max_seconds=settings.PARLURE_AUDIO_MAX_SECONDS,
            min_seconds=settings.PARLURE_AUDIO_MIN_SECONDS,
        )
    except AudioError as error:
        raise audio_error_invalid(error) from None
    finally:
        file.seek(0)


def audio_error_invalid(error: AudioError) -> ValidationError:
    """The probe's error as people read it, with its stable code."""
    describe = _AUDIO_MESSAGES.get(error.code)
    message = describe() if describe else error.message
    return ValidationError(message, code=error.code)


def _clean_name(name: str) -> str:
    """The uploaded name is metadata shown to its owner; keep it printable and short."""
    name = "".join(ch for ch in name if ch.isprintable()).replace("/", "_").replace("\\", "_")
    return name.strip()[:255]


def submission_create_audio(
    *,
    user: User,
    file: IO[bytes],
    size: int,
    original_name: str,
    source: str,
    client_token: uuid.UUID | None = None,
    corpus: "Corpus | None" = None,
    batch: "ImportBatch | None" = None,
    speakers: str = "",
) -> tuple[Submission, bool]:
    """Check and store an audio file, and queue its transcription. Returns (submission, created).

    Nothing is stored unless the file is valid; a repeated ``client_token`` returns the first
    submission. The file gets a random name in private storage. The caller has checked that the
    user may add to ``corpus`` (corpora.access). ``speakers`` asks for each segment's speaker
    to be labelled: "" (no), "auto", or the number of speakers (SPEAKERS_CHOICES).
    """
    if size > settings.PARLURE_AUDIO_MAX_BYTES:
        raise ValidationError(audio_too_large_message(), code="too_large")
    if source not in AudioRecording.Source.values:
        raise ValidationError(_("Unknown audio source."), code="bad_source")
    if speakers not in SPEAKERS_CHOICES:
        raise ValidationError(speakers_invalid_message(), code="bad_speakers")
    existing = submission_by_token(user=user, client_token=client_token)
    if existing is not None:
        return existing, False  # before the file is read: a retry costs nothing
    info = audio_check(file)
    file, size = audio_seekable(file, info, size)
    suffix = audio_suffix(info)
    recording = None
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                user=user,
                kind=Submission.Kind.AUDIO,
                text="",
                client_token=client_token,
                corpus=corpus,
                batch=batch,
            )
            recording = AudioRecording(
                submission=submission,
                source=source,
                original_name=_clean_name(original_name),
                size_bytes=size,
                duration_s=info.duration_s,
                container=info.container[:50],
                codec=info.codec[:50],
                speakers=speakers,
            )
            recording.file.save(f"audio{suffix}", File(file), save=False)
            recording.save()
            _enqueue_transcription(submission)
    except IntegrityError:
        if recording is not None and recording.file:
            recording.file.delete(save=False)
        existing = submission_by_token(user=user, client_token=client_token)
        if existing is None:
            raise
        return existing, False
    except Exception:
        # The row was rolled back: the file must not outlive it.
        if recording is not None and recording.file:
            recording.file.delete(save=False)
        raise
    logger.info("audio submission %s created by user %s", submission.pk, user.pk)
    return submission, True


def audio_seekable(file: IO[bytes], info: AudioInfo, size: int) -> tuple[IO[bytes], int]:
    """A WebM without a duration (what MediaRecorder writes) is stored remuxed: same audio, not
    encoded again, but with the duration and cues a player needs to show the length and seek.
    """
    if info.has_duration or not info.container.startswith("matroska"):
        return file, size
    try:
        data = remux_seekable(file)
    except AudioError as error:  # keep the original: it plays, only without seeking
        logger.warning("audio remux failed, the original file is kept: %s", error)
        return file, size
    return io.BytesIO(data), len(data)


_SUFFIXES = {
    "wav": ".wav",
    "mp3": ".mp3",
    "ogg": ".ogg",
    "flac": ".flac",
    "matroska": ".webm",
    "mov": ".m4a",
    "aac": ".aac",
    "aiff": ".aiff",
    "w64": ".w64",
    "caf": ".caf",
}


def audio_suffix(info: AudioInfo) -> str:
    """The stored file's extension, from its content (never from the name it was sent with)."""
    return _SUFFIXES.get(info.container.split(",")[0], ".audio")


def _enqueue_transcription(submission: Submission) -> None:
    job_enqueue(jobs.TRANSCRIBE_SUBMISSION, submission.pk)


@transaction.atomic
def audio_delete(*, recording: AudioRecording, reason: str) -> bool:
    """Delete a recording's file (after commit) and record when. False if already gone."""
    recording = AudioRecording.objects.select_for_update().get(pk=recording.pk)
    if recording.deleted_at is not None:
        return False
    name = recording.file.name
    storage = recording.file.storage
    recording.file = ""
    recording.deleted_at = timezone.now()
    recording.save(update_fields=["file", "deleted_at"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    logger.info("audio of submission %s deleted (%s)", recording.submission_id, reason)
    return True


def audio_purge_expired() -> int:
    """Delete every recording older than AUDIO_RETENTION_HOURS; returns how many."""
    cutoff = timezone.now() - timedelta(hours=settings.AUDIO_RETENTION_HOURS)
    expired = AudioRecording.objects.filter(deleted_at__isnull=True, created_at__lt=cutoff)
    return sum(audio_delete(recording=recording, reason="retention") for recording in expired)
