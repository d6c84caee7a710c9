"""Corpora: named groups of submissions, shared with other people, filled by batch imports.

A submission belongs to at most one corpus (``Submission.corpus``). Who may do what in a corpus is
decided by its owner and the members' roles (see ``corpora.access``), in pages and API alike.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Corpus(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="corpora",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # Names and jargon this corpus's recordings contain, one per line (common.vocabulary).
    vocabulary = models.TextField(_("vocabulary"), blank=True, default="", db_default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("corpus")
        verbose_name_plural = _("corpora")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CorpusMember(models.Model):
    """Someone the owner shared the corpus with, and what they may do in it."""

    class Role(models.TextChoices):
        # Reads the corpus, its submissions and results, and exports it.
        VIEWER = "viewer", _("viewer")
        # Also adds texts, audio and imports, corrects transcripts and flags wrong labels.
        ANNOTATOR = "annotator", _("annotator")
        # Also validates transcripts and reads everyone's feedback on the corpus.
        REVIEWER = "reviewer", _("reviewer")

    corpus = models.ForeignKey(
        Corpus, on_delete=models.CASCADE, related_name="members", verbose_name=_("corpus")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="corpus_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("corpus member")
        verbose_name_plural = _("corpus members")
        ordering = ["corpus", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["corpus", "user"], name="corpusmember_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.corpus}"


class ImportBatch(models.Model):
    """One imported file: its lines (or audio files) become submissions of the corpus.

    The file is read and checked when it arrives; each rejected line or member is listed in
    ``problems`` and the valid rest is processed. Progress is read from the batch's submissions.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSONL = "jsonl", "JSONL"
        TXT = "txt", _("text, one per line")
        ZIP = "zip", _("ZIP of audio files")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    corpus = models.ForeignKey(
        Corpus, on_delete=models.CASCADE, related_name="imports", verbose_name=_("corpus")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("imported by"),
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    # Lines (or archive members) read, accepted as submissions, and rejected.
    items_read = models.PositiveIntegerField(_("items read"), default=0)
    items_accepted = models.PositiveIntegerField(_("items accepted"), default=0)
    items_rejected = models.PositiveIntegerField(_("items rejected"), default=0)
    # [{"line": n or null, "member": name or "", "code": "...", "message": "..."}, ...]
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # A random token a client may send: the same import sent twice returns the first batch.
    client_token = models.UUIDField(_("client token"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_token"], name="importbatch_unique_client_token"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name or self.get_format_display()} → {self.corpus}"
