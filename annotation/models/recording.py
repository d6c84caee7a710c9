"""A recording sent chunk by chunk while the person speaks, and how far it has been decoded.

The audio itself is the submission's ``AudioRecording`` file, which grows by one chunk at a time
(MediaRecorder's chunks, joined in order, make one valid WebM). This row says which chunk comes
next and, for the live transcription, up to where the audio has been decoded for good.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveRecording(models.Model):
    submission = models.OneToOneField(
        "Submission",
        on_delete=models.CASCADE,
        related_name="live_recording",
        verbose_name=_("submission"),
    )
    # How many chunks are stored: the index the next one must have.
    chunks = models.PositiveIntegerField(_("chunks received"), default=0)
    last_chunk_at = models.DateTimeField(_("last chunk at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("recording stopped at"), null=True, blank=True)
    # The audio before stable_until_s is decoded for good: its segments are the submission's
    # first stable_segments live segments, and the transcription after the stop decodes only
    # the rest. The language detector ran on the first piece.
    stable_until_s = models.FloatField(_("decoded up to (s)"), default=0.0)
    stable_segments = models.PositiveIntegerField(_("segments decoded for good"), default=0)
    detected_language = models.CharField(_("detected language"), max_length=10, blank=True)
    language_probability = models.FloatField(_("language probability"), null=True, blank=True)
    # When a live decode was queued and has not started yet: at most one waits per recording.
    decode_queued_at = models.DateTimeField(_("live decode queued at"), null=True, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recording in progress")
        verbose_name_plural = _("recordings in progress")

    def __str__(self) -> str:
        return f"{self.submission} ({self.chunks} chunks)"
