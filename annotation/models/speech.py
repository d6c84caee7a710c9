"""Audio submissions: the recording (kept only as long as needed), transcript and corrections."""

import os
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class AudioStorage(FileSystemStorage):
    """Recordings live outside static and media folders; only an authenticated view serves them.

    The folder is read from settings at each use (not once at start-up), so it follows
    PARLURE_AUDIO_ROOT wherever it is set, tests included.
    """

    @property
    def base_location(self) -> str:
        return str(settings.PARLURE_AUDIO_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def audio_storage() -> Storage:
    return AudioStorage(base_url=None)


def audio_path(instance: "AudioRecording", filename: str) -> str:
    # A random name: the uploaded name is metadata only and never touches the file system.
    suffix = PurePath(filename).suffix
    return f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class AudioRecording(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("uploaded file")
        RECORDING = "recording", _("recorded in the page")

    submission = models.OneToOneField(
        "Submission", on_delete=models.CASCADE, related_name="audio", verbose_name=_("submission")
    )
    file = models.FileField(_("file"), storage=audio_storage, upload_to=audio_path, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    duration_s = models.FloatField(_("duration (s)"))
    container = models.CharField(_("container"), max_length=50)
    codec = models.CharField(_("codec"), max_length=50)
    # Label who speaks each segment after transcription: "" (no), "auto" (the number of
    # speakers is found) or the number of speakers, "2" to "6" (SPEAKERS_CHOICES).
    speakers = models.CharField(_("speakers"), max_length=4, blank=True, default="")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    # Voice is personal data: the file goes once the transcript is validated or the retention
    # period ends, whichever comes first. The row stays, as a record of what was deleted when.
    deleted_at = models.DateTimeField(_("audio deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("audio recording")
        verbose_name_plural = _("audio recordings")

    def __str__(self) -> str:
        return f"{self.original_name or self.get_source_display()} ({self.duration_s:.1f} s)"

    @property
    def is_available(self) -> bool:
        return self.deleted_at is None and bool(self.file)


@receiver(post_delete, sender=AudioRecording)
def _delete_file_with_row(
    sender: type[AudioRecording], instance: AudioRecording, **_: object
) -> None:
    # A signal, not a service: deleting a user or a submission (admin included) cascades to this
    # row without going through any service, and the voice must not outlive it on disk.
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))


# What an upload may ask for speakers: "" (no labels), "auto", or how many speakers there are.
SPEAKERS_CHOICES = ["", "auto", "2", "3", "4", "5", "6"]

# Below this probability of French (from the speech model's language detector), the page warns.
NOT_FRENCH_BELOW = 0.25


class Transcript(models.Model):
    submission = models.OneToOneField(
        "Submission",
        on_delete=models.CASCADE,
        related_name="transcript",
        verbose_name=_("submission"),
    )
    language = models.CharField(_("language"), max_length=10)
    detected_language = models.CharField(_("detected language"), max_length=10, blank=True)
    language_probability = models.FloatField(_("language probability"), null=True, blank=True)
    duration_s = models.FloatField(_("duration (s)"))
    model = models.CharField(_("speech model"), max_length=100)
    # Bumped by every correction; predictions say which version they read.
    version = models.PositiveIntegerField(_("version"), default=1)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    # Speaker label ("S1", as stored on the segments) → the name people gave it ("Marie").
    speaker_names = models.JSONField(_("speaker names"), default=dict, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self) -> str:
        return f"{self.submission} v{self.version}"

    @property
    def not_french(self) -> bool:
        """The speech detector heard another language, and French seemed unlikely to it.

        A hesitant detector (robotic or noisy speech) often names some other language while
        French stays plausible: warning then would cry wolf.
        """
        return (
            bool(self.detected_language)
            and self.detected_language != "fr"
            and (self.language_probability or 0.0) < NOT_FRENCH_BELOW
        )


class Segment(models.Model):
    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="segments", verbose_name=_("transcript")
    )
    index = models.PositiveIntegerField(_("index"))
    start = models.FloatField(_("start (s)"))
    end = models.FloatField(_("end (s)"))
    text = models.TextField(_("text"))
    # [{"start": s, "end": s, "word": "...", "probability": p}, ...] as the speech model wrote them;
    # after a correction, the new text's words with times aligned on the old ones
    # (parlure_ml.speech.alignment). Corrections made before that kept the model's words.
    words = models.JSONField(_("words"), default=list, blank=True)
    edited = models.BooleanField(_("corrected"), default=False)
    # Who speaks it: a label ("S1", "S2"…; its name is in Transcript.speaker_names), or "" when
    # speakers were not labelled.
    speaker = models.CharField(_("speaker"), max_length=10, blank=True, default="")
    current_prediction = models.OneToOneField(
        "Prediction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current prediction"),
    )

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["transcript", "index"]
        constraints = [
            models.UniqueConstraint(fields=["transcript", "index"], name="segment_unique_index"),
        ]

    def __str__(self) -> str:
        return f"[{self.start:.1f}-{self.end:.1f}] {self.text[:40]}"

    @property
    def timed_words(self) -> list[dict[str, object]]:
        """The words with their times when they spell the text; none when they do not (a
        segment corrected before corrections realigned the words keeps what the model heard)."""
        words = self.words or []
        spelled = "".join("".join(str(word.get("word", "")).split()) for word in words)
        return words if words and spelled == "".join(self.text.split()) else []

    @property
    def speaker_name(self) -> str:
        """Who speaks it, as people named them ("Marie"), else the label ("S1"); "" for none."""
        if not self.speaker:
            return ""
        return str((self.transcript.speaker_names or {}).get(self.speaker) or self.speaker)


class TranscriptRevision(models.Model):
    """One correction: who changed which segment, when, from what to what."""

    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("transcript")
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("segment")
    )
    version = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    before = models.TextField(_("before"))
    after = models.TextField(_("after"))
    created_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transcript correction")
        verbose_name_plural = _("transcript corrections")
        ordering = ["transcript", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "version"], name="revision_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transcript} v{self.version}"


class LiveSegment(models.Model):
    """A segment as the speech model decoded it, shown while the rest of the recording is still
    being transcribed, with its register once the register worker has read it.

    Only while the job runs: the transcript's own segments replace them when it is stored
    (``transcript_record`` deletes these), and they go with their submission.
    """

    submission = models.ForeignKey(
        "Submission",
        on_delete=models.CASCADE,
        related_name="live_segments",
        verbose_name=_("submission"),
    )
    index = models.PositiveIntegerField(_("index"))
    start = models.FloatField(_("start (s)"))
    end = models.FloatField(_("end (s)"))
    text = models.TextField(_("text"))
    # The words with their times, as Segment.words: a recording transcribed while it was made
    # keeps the segments decoded for good (LiveRecording.stable_segments) as its transcript's.
    words = models.JSONField(_("words"), default=list, blank=True)
    # Empty until classified; then the register shown (neutre when the model hesitates).
    label = models.CharField(_("register"), max_length=10, blank=True)
    uncertain = models.BooleanField(_("hesitant"), default=False)
    scores = models.JSONField(_("probabilities"), default=dict, blank=True)

    class Meta:
        verbose_name = _("segment being transcribed")
        verbose_name_plural = _("segments being transcribed")
        ordering = ["submission", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "index"], name="live_segment_unique_index"
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.start:.1f}-{self.end:.1f}] {self.text[:40]}"
