"""Imports: a file becomes a batch of submissions of a corpus, and its texts are classified.

A file-level fault (unknown format, empty, too large, wrong encoding, no text column, not a ZIP)
refuses the whole file with a ValidationError; a faulty line or archive member is listed in the
batch's problems and the valid rest is imported. Texts are classified in chunks by one
self-requeuing task (``pipeline.tasks.imports.import_batch_classify_task``, queued by name);
audio files are transcribed one by one, as when uploaded alone.
"""

import logging
import uuid
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from annotation.models import AudioRecording, Submission
from annotation.services import submission_create_audio, submission_start
from annotation.uploads import file_too_large_message
from common import jobs
from common.jobs import job_enqueue, worker_identity
from corpora.archives import ArchiveReader
from corpora.imports import Problem, ProblemLog, import_format, text_import_read
from corpora.models import Corpus, ImportBatch
from parlure_ml.register.sentences import word_spans

logger = logging.getLogger(__name__)

BULK_CREATE_SIZE = 500


def _size_limit(file_format: str) -> int:
    if file_format == ImportBatch.Format.ZIP:
        return int(settings.PARLURE_IMPORT_MAX_ARCHIVE_BYTES)
    return int(settings.PARLURE_IMPORT_MAX_BYTES)


def _too_large(limit: int) -> ValidationError:
    return ValidationError(file_too_large_message(limit), code="too_large")


def _clean_file_name(name: str) -> str:
    name = "".join(ch for ch in name if ch.isprintable()).replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()[:255]


def _no_items(problems: ProblemLog) -> None:
    problems.add(code="no_items", message=_("The file holds nothing to import."))


def import_create(
    *,
    corpus: Corpus,
    user: User,
    file: UploadedFile,
    client_token: uuid.UUID | None = None,
) -> tuple[ImportBatch, bool]:
    """Read an uploaded file into a batch of submissions of the corpus; returns (batch, created).

    The caller has checked that ``user`` may annotate ``corpus`` (corpora.access, Can.ANNOTATE).
    The format comes from the name's extension (.csv/.tsv, .jsonl/.ndjson, .txt, .zip) and is
    confirmed by the content. Whole-file refusals raise ValidationError with a message and a
    code: unknown_format, empty, too_large, encoding, binary, no_text_column, bad_archive,
    too_many_files. Otherwise a batch is created even when no item was valid, so that people
    see each line's problem. A repeated ``client_token`` returns the first batch.
    """
    if client_token is not None:
        existing = ImportBatch.objects.filter(created_by=user, client_token=client_token).first()
        if existing is not None:
            return existing, False
    file_name = _clean_file_name(file.name or "")
    file_format = import_format(file_name)
    limit = _size_limit(file_format)
    if file.size is not None and file.size > limit:
        raise _too_large(limit)
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    batch = ImportBatch(
        corpus=corpus,
        created_by=user,
        file_name=file_name,
        format=file_format,
        client_token=client_token,
    )
    file.seek(0)
    try:
        if file_format == ImportBatch.Format.ZIP:
            _archive_import(batch=batch, file=file)
        else:
            _text_import(batch=batch, file=file, limit=limit)
    except IntegrityError:
        if client_token is None:
            raise
        # The same import sent twice at once: the other request created the batch.
        return ImportBatch.objects.get(created_by=user, client_token=client_token), False
    logger.info(
        "import %s into corpus %s by user %s: %s read, %s accepted, %s rejected",
        batch.pk,
        corpus.pk,
        user.pk,
        batch.items_read,
        batch.items_accepted,
        batch.items_rejected,
    )
    return batch, True


def _batch_finish(batch: ImportBatch, *, read: int, rejected: int, problems: list[Problem]) -> None:
    batch.items_read = read
    batch.items_rejected = rejected
    batch.items_accepted = read - rejected
    batch.problems = list(problems)


def _text_import(*, batch: ImportBatch, file: IO[bytes], limit: int) -> None:
    data = file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    result = text_import_read(data=data, file_format=batch.format)
    if not result.items_read:
        _no_items(result.problems)
    _batch_finish(
        batch,
        read=result.items_read,
        rejected=result.items_rejected,
        problems=result.problems.entries(),
    )
    with transaction.atomic():
        batch.save()
        Submission.objects.bulk_create(
            (
                Submission(
                    user=batch.created_by,
                    kind=Submission.Kind.TEXT,
                    text=row.text,
                    corpus=batch.corpus,
                    batch=batch,
                )
                for row in result.rows
            ),
            batch_size=BULK_CREATE_SIZE,
        )
        if result.rows:
            import_batch_classify_enqueue(batch=batch)


def _archive_import(*, batch: ImportBatch, file: IO[bytes]) -> None:
    reader = ArchiveReader(file)  # a file that is not a ZIP is refused before anything is stored
    stored: list[AudioRecording] = []
    try:
        with transaction.atomic():
            batch.save()
            for member in reader.members():
                try:
                    submission, _created = submission_create_audio(
                        user=batch.created_by,
                        file=member.file,
                        size=member.size,
                        original_name=member.name,
                        source=AudioRecording.Source.UPLOAD,
                        corpus=batch.corpus,
                        batch=batch,
                    )
                except ValidationError as error:
                    reader.reject(
                        member=member.name, code=error.code or "invalid", message=error.messages[0]
                    )
                else:
                    stored.append(submission.audio)
            if not reader.items_read:
                _no_items(reader.problems)
            _batch_finish(
                batch,
                read=reader.items_read,
                rejected=reader.items_rejected,
                problems=reader.problems.entries(),
            )
            batch.save()
    except BaseException:
        # Rolled back: the recordings' rows are gone, their files must go too.
        for recording in stored:
            recording.file.delete(save=False)
        raise


def import_batch_classify_enqueue(*, batch: ImportBatch) -> None:
    """Queue the classification of the batch's texts, once the transaction commits."""
    job_enqueue(jobs.IMPORT_BATCH_CLASSIFY, batch.pk)


def chunk_words(text: str) -> int:
    """The words of a text, as a chunk's budget counts them."""
    return sum(1 for start, _end in word_spans(text) if text[start].isalnum())


@transaction.atomic
def import_batch_chunk_claim(
    *, batch_id: int, size: int, max_words: int, stale_after: timedelta
) -> list[Submission]:
    """Claim the batch's next queued texts for classification and mark them running.

    At most ``size`` texts and ``max_words`` words (always at least one text), so that one
    batched model call stays within the task's time limit; the chunk is classified without
    explanations, which are computed text by text when asked for. Rows another worker is
    claiming are skipped (SKIP LOCKED), so several workers share a batch. A text left running
    longer than ``stale_after`` was being processed by a worker that died: it is taken over,
    like a re-delivered single job, up to PARLURE_MAX_ATTEMPTS times.
    """
    stale_before = timezone.now() - stale_after
    candidates = list(
        Submission.objects.select_for_update(skip_locked=True)
        .filter(batch_id=batch_id, kind=Submission.Kind.TEXT)
        .filter(
            Q(status=Submission.Status.QUEUED)
            | Q(status=Submission.Status.CLASSIFYING, started_at__lt=stale_before)
        )
        .order_by("pk")
        .values_list("pk", "text")[:size]
    )
    taken: list[int] = []
    total = 0
    for pk, text in candidates:
        words = chunk_words(text)
        if taken and total + words > max_words:
            break
        taken.append(pk)
        total += words
    # The single job's own write path: same states, attempts and takeover rules (the stale ones
    # were chosen above, so they are taken over).
    worker = worker_identity()
    return [
        s
        for pk in taken
        if (s := submission_start(submission_id=pk, worker=worker, takeover=True)) is not None
    ]
