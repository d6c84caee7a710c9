"""A recording sent while the person speaks: created when it starts, stored chunk by chunk, and
queued for its transcription when it stops.

The page's MediaRecorder hands over a chunk a second; joined in order from the first, they make
one valid WebM (or Ogg), so the stored file is always the recording so far, and a worker decodes
it as it grows (``pipeline.tasks.live``). Chunks are written by the web process: a broker or a
worker that dies during the recording loses nothing but the early segments, and the
transcription after the stop then decodes the whole file.
"""

import datetime
import io
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from annotation.models import (
    SPEAKERS_CHOICES,
    AudioRecording,
    LiveRecording,
    Submission,
)
from annotation.models.speech import audio_path
from common import jobs
from common.jobs import job_enqueue
from parlure_ml.speech.audio import AudioError, AudioInfo, probe_audio

from .audio import (
    audio_check,
    audio_delete,
    audio_error_invalid,
    audio_seekable,
    audio_suffix,
    audio_too_large_message,
    speakers_invalid_message,
)
from .submissions import submission_create_once, submission_delete, submission_mark_failed

if TYPE_CHECKING:
    from corpora.models import Corpus

logger = logging.getLogger(__name__)

REASON_RECORDING_ABANDONED = gettext_noop(
    "The recording was never finished (its page was closed); what had been received was deleted."
)
# The page stops at the limit by its clock, a fraction of a second after it: the last chunk may
# go that far over, and is not refused for it.
RECORDING_SLACK_S = 1.0
# A live decode queued this long ago and still not started was lost (its worker died, or the
# broker): the next chunk queues another.
LIVE_DECODE_LOST_AFTER = datetime.timedelta(seconds=60)


class RecordingChunkRefused(Exception):
    """A chunk that does not come next: ``expected`` is the index that does, or None when the
    recording takes no more chunks (it was stopped, cancelled or expired)."""

    def __init__(self, expected: int | None) -> None:
        super().__init__(expected)
        self.expected = expected


@dataclass(frozen=True)
class ChunkStored:
    stored: bool  # False: that chunk was stored already, and nothing changed
    next_chunk: int
    duration_s: float
    size_bytes: int


def recording_max_seconds() -> float:
    return settings.PARLURE_AUDIO_MAX_SECONDS + RECORDING_SLACK_S


def recording_start(
    *,
    user: User,
    client_token: uuid.UUID | None = None,
    speakers: str = "",
    corpus: "Corpus | None" = None,
) -> tuple[Submission, bool]:
    """A new audio submission that receives its recording chunk by chunk: status "recording",
    no file yet. A repeated ``client_token`` returns the first one. The caller has checked that
    the user may add to ``corpus``."""
    if speakers not in SPEAKERS_CHOICES:
        raise ValidationError(speakers_invalid_message(), code="bad_speakers")

    def create() -> Submission:
        submission = Submission.objects.create(
            user=user,
            kind=Submission.Kind.AUDIO,
            status=Submission.Status.RECORDING,
            text="",
            client_token=client_token,
            corpus=corpus,
        )
        AudioRecording.objects.create(
            submission=submission,
            source=AudioRecording.Source.RECORDING,
            size_bytes=0,
            duration_s=0.0,
            container="",
            codec="",
            speakers=speakers,
        )
        LiveRecording.objects.create(submission=submission)
        return submission

    submission, created = submission_create_once(
        user=user, client_token=client_token, create=create
    )
    if not created:
        return submission, False
    logger.info("recording %s started by user %s", submission.pk, user.pk)
    return submission, True


def recording_chunk_append(*, submission: Submission, index: int, data: bytes) -> ChunkStored:
    """Append chunk `index` to the recording, if it is the next one.

    A chunk stored already is answered as such, and nothing changes (a retry after a lost
    answer); a later one is RecordingChunkRefused with the index expected. Over the size or
    duration limit, or not audio at all: ValidationError, and the file stays as it was (the
    chunk is not stored, nor cut to fit). Queues a live decode of the audio so far.
    """
    with transaction.atomic():
        live = LiveRecording.objects.select_for_update().get(submission_id=submission.pk)
        status = Submission.objects.values_list("status", flat=True).get(pk=submission.pk)
        if status != Submission.Status.RECORDING:
            raise RecordingChunkRefused(None)
        recording = AudioRecording.objects.get(submission_id=submission.pk)
        if index < live.chunks:
            return ChunkStored(False, live.chunks, recording.duration_s, recording.size_bytes)
        if index > live.chunks:
            raise RecordingChunkRefused(live.chunks)
        if not data:
            raise ValidationError(_("The chunk is empty."), code="empty")
        if recording.size_bytes + len(data) > settings.PARLURE_AUDIO_MAX_BYTES:
            raise ValidationError(audio_too_large_message(), code="too_large")
        info = _append(recording, data)
        recording.size_bytes += len(data)
        recording.duration_s = info.duration_s
        recording.container = info.container[:50]
        recording.codec = info.codec[:50]
        recording.save(update_fields=["file", "size_bytes", "duration_s", "container", "codec"])
        live.chunks += 1
        live.last_chunk_at = timezone.now()
        fields = ["chunks", "last_chunk_at"]
        if live.decode_queued_at is None or live.decode_queued_at < timezone.now() - (
            LIVE_DECODE_LOST_AFTER
        ):
            live.decode_queued_at = timezone.now()
            fields.append("decode_queued_at")
            transaction.on_commit(lambda: _live_decode_send(submission.pk))
        live.save(update_fields=fields)
    return ChunkStored(True, live.chunks, recording.duration_s, recording.size_bytes)


def _append(recording: AudioRecording, data: bytes) -> AudioInfo:
    """Write `data` after the bytes the row counts (a write whose transaction failed left more:
    they are cut first), and probe the whole; on a refusal the file is put back as it was."""
    if not recording.file:
        # The first chunk holds the container's header: its content names the file.
        try:
            first = probe_audio(
                io.BytesIO(data), max_seconds=recording_max_seconds(), min_seconds=0
            )
        except AudioError as error:
            raise audio_error_invalid(error) from None
        recording.file.name = audio_path(recording, f"audio{audio_suffix(first)}")
    path = Path(recording.file.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as out:
        out.truncate(recording.size_bytes)
        out.write(data)
    try:
        return probe_audio(path, max_seconds=recording_max_seconds(), min_seconds=0)
    except AudioError as error:
        os.truncate(path, recording.size_bytes)
        raise audio_error_invalid(error) from None


def _live_decode_send(submission_id: int) -> None:
    try:
        jobs.job_send(jobs.LIVE_DECODE, submission_id)
    except jobs.JobQueueUnavailable:
        # Only the early segments are lost: the transcription after the stop decodes it all.
        logger.warning("live decode of recording %s not queued: no broker", submission_id)


def recording_finish(*, submission: Submission) -> Submission:
    """The recording is complete: store it remuxed (a duration, cues to seek) and queue its
    transcription. Again on a finished recording: nothing changes, it is returned as it is.

    A recording with nothing usable in it (no chunk, too short) is deleted, and
    ValidationError says why, as an upload would have been refused.
    """
    refused: ValidationError | None = None
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Submission.Status.RECORDING:
            return locked
        recording = AudioRecording.objects.get(submission=locked)
        try:
            _store_seekable(recording)
        except ValidationError as error:
            refused = error
            submission_delete(submission=locked, acting_user=locked.user)
        else:
            now = timezone.now()
            LiveRecording.objects.filter(submission=locked).update(finished_at=now)
            locked.status = Submission.Status.QUEUED
            # Submitted when it was sent whole: the time waited for the result starts here.
            locked.created_at = now
            locked.heartbeat_at = now  # for a queued job: when its message was sent
            locked.save(update_fields=["status", "created_at", "heartbeat_at"])
            job_enqueue(jobs.TRANSCRIBE_SUBMISSION, locked.pk)
    if refused is not None:
        raise refused
    logger.info("recording %s finished", locked.pk)
    return locked


def _store_seekable(recording: AudioRecording) -> None:
    """Check the whole recording as an upload is checked, and store it remuxed when it needs to
    be (MediaRecorder's WebM has no duration)."""
    if not recording.file:
        raise ValidationError(_("The recording is empty. Please record again."), code="empty")
    with recording.file.open("rb") as fh:
        info = audio_check(fh)
        seekable, size = audio_seekable(fh, info, recording.size_bytes)
        if seekable is not fh:
            old = recording.file.name
            storage = recording.file.storage
            recording.file.save(f"audio{audio_suffix(info)}", File(seekable), save=False)
            transaction.on_commit(lambda: storage.delete(old))
    recording.size_bytes = size
    recording.duration_s = info.duration_s
    recording.save(update_fields=["file", "size_bytes", "duration_s"])


def recordings_abandoned_expire(*, now: datetime.datetime | None = None) -> int:
    """Fail the recordings that received no chunk for PARLURE_RECORDING_ABANDONED_MINUTES (the
    page was closed mid-way), and delete their audio: voice is personal data. Returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.PARLURE_RECORDING_ABANDONED_MINUTES)
    stale = Submission.objects.filter(status=Submission.Status.RECORDING).filter(
        Q(live_recording__last_chunk_at__lt=cutoff)
        | Q(live_recording__last_chunk_at__isnull=True, live_recording__created_at__lt=cutoff)
        | Q(live_recording__isnull=True, created_at__lt=cutoff)
    )
    expired = 0
    for submission_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            locked = Submission.objects.select_for_update().filter(pk=submission_id).first()
            if locked is None or locked.status != Submission.Status.RECORDING:
                continue  # finished meanwhile
            submission_mark_failed(locked, REASON_RECORDING_ABANDONED)
            recording = AudioRecording.objects.filter(submission=locked).first()
            if recording is not None:
                audio_delete(recording=recording, reason="recording abandoned")
            expired += 1
    return expired
