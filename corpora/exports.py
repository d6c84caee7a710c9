"""A whole corpus as CSV or JSONL, one row per submission, oldest first, streamed.

Each row holds the input (text, or an audio's current transcript and its segments with their
speakers), the current register prediction, and what people did about it: transcript
corrections, the label a review decided, and the labels people suggested in their feedback.
Rows are read in chunks with their related rows prefetched, so the number of queries depends on
the number of chunks, not rows.

Decisions: the author is their e-mail address (display names may be blank or shared, and
members of a corpus already know each other's address); CSV starts with a UTF-8 byte-order mark
so that spreadsheets read accents right, and any cell starting with = + - @ (or a tab or carriage
return) is prefixed with ' so that no spreadsheet runs it as a formula.
"""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from annotation.models import Prediction, Register, Segment, Submission, TranscriptRevision
from annotation.services import predictions_explain_request
from review.models import Feedback, ReviewItem

from .models import Corpus

EXPORT_FORMATS = ("csv", "jsonl")
CHUNK_SIZE = 500
SCORE_COLUMNS = [f"score_{register.value}" for register in Register]
CSV_COLUMNS = [
    "id",
    "kind",
    "created_at",
    "author",
    "status",
    "text",
    "segments",
    "label",
    "top_label",
    "uncertain",
    *SCORE_COLUMNS,
    "model_version",
    "transcript_revisions",
    "transcript_validated",
    "review_label",
    "suggested_labels",
    # Last, so that readers of the earlier columns by position are unaffected: when the job
    # ended, and the corpus (a selection from "My submissions" may mix several, or none).
    "finished_at",
    "corpus",
]
# With explanations (``explanations=True``): each sentence of the text, its register and the
# words that decided it.
EXPLANATION_COLUMN = "sentences"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _check_format(file_format: str) -> None:
    if file_format not in EXPORT_FORMATS:
        raise ValidationError(
            _("Unknown export format: choose one of %(formats)s.")
            % {"formats": ", ".join(EXPORT_FORMATS)},
            code="unknown_format",
        )


def export_filename(*, corpus: Corpus, file_format: str) -> str:
    """An ASCII file name: the corpus's name, today's date, the format."""
    _check_format(file_format)
    name = slugify(corpus.name)[:60].strip("-") or "corpus"
    return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format}"


def _unexplained(corpus: Corpus) -> QuerySet[Prediction]:
    """The corpus's shown predictions whose explanations are not computed yet (imports)."""
    shown = Submission.objects.filter(corpus=corpus, current_prediction__isnull=False)
    return Prediction.objects.filter(
        pk__in=shown.values("current_prediction"),
        explained_at__isnull=True,
        explanation_failure="",
    )


def corpus_export_explanations_request(*, corpus: Corpus) -> int:
    """Before an export with explanations: queue the computation of every explanation it
    lacks; returns how many are still missing (0: the export can be made now).

    Imported texts are classified without their deciding words; an export that includes them
    is someone asking for them. The jobs are idempotent, so asking again while they run only
    queues no-ops.
    """
    missing = list(_unexplained(corpus).only("id", "explained_at", "explanation_failure"))
    predictions_explain_request(predictions=missing)
    return len(missing)


def corpus_export_lines(
    *, corpus: Corpus, file_format: str, explanations: bool = False
) -> Iterator[str]:
    """The export, line by line (each ends with a newline), for a StreamingHttpResponse.

    CSV has a header row. The caller has checked that the person may view the corpus. An
    unknown format raises ValidationError at once, before anything is streamed. With
    ``explanations``, each row also has its sentences and their deciding words; call
    ``corpus_export_explanations_request`` first (a prediction not explained yet has none).
    """
    return submissions_export_lines(
        submissions=Submission.objects.filter(corpus=corpus),
        file_format=file_format,
        explanations=explanations,
    )


def selection_filename(*, file_format: str) -> str:
    """The file name of an export of chosen submissions (a list's bulk action)."""
    _check_format(file_format)
    return f"parlure-submissions-{timezone.localdate():%Y-%m-%d}.{file_format}"


def submissions_export_lines(
    *, submissions: QuerySet[Submission], file_format: str, explanations: bool = False
) -> Iterator[str]:
    """These submissions, in the corpus export's format (same columns, oldest first).

    The caller has scoped ``submissions`` to what the person may view.
    """
    _check_format(file_format)
    rows = (_row(submission, explanations) for submission in _submissions(submissions))
    if file_format == "csv":
        return _csv_lines(rows, explanations)
    return (json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _submissions(submissions: QuerySet[Submission]) -> Iterator[Submission]:
    revisions = (
        TranscriptRevision.objects.filter(transcript__submission=OuterRef("pk"))
        .order_by()
        .values("transcript__submission")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        submissions.select_related("user", "corpus", "current_prediction", "transcript")
        .annotate(revision_count=Coalesce(Subquery(revisions, output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch(
                "transcript__segments",
                queryset=Segment.objects.select_related("current_prediction").order_by("index"),
                to_attr="exported_segments",
            ),
            Prefetch(
                "current_prediction__review_items",
                queryset=ReviewItem.objects.filter(
                    sentence_index=None, status=ReviewItem.Status.DECIDED
                ),
                to_attr="decided_items",
            ),
            Prefetch(
                "current_prediction__feedback",
                queryset=Feedback.objects.filter(sentence_index=None, kind=Feedback.Kind.REGISTER)
                .exclude(suggested_label="")
                .order_by("created_at", "id"),
                to_attr="register_feedback",
            ),
        )
        .order_by("created_at", "id")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _sentences(submission: Submission, prediction: Prediction | None) -> list[dict[str, Any]]:
    """The prediction's sentences with their deciding words, as text and offsets."""
    if prediction is None:
        return []
    text = submission.text

    def piece(start: int, end: int) -> str | None:
        return text[start:end] if 0 <= start < end <= len(text) else None

    return [
        {
            "start": sentence.start,
            "end": sentence.end,
            "text": piece(sentence.start, sentence.end),
            "label": sentence.label,
            "evidence": [
                {"word": piece(e.start, e.end), "start": e.start, "end": e.end, "weight": e.weight}
                for e in sentence.evidence
            ],
        }
        for sentence in prediction.sentence_list()
    ]


def _row(submission: Submission, explanations: bool = False) -> dict[str, Any]:
    prediction = submission.current_prediction
    transcript = None
    if submission.kind == Submission.Kind.AUDIO:
        transcript = getattr(submission, "transcript", None)  # None until transcribed
    segments = getattr(transcript, "exported_segments", []) if transcript else []
    names = (transcript.speaker_names or {}) if transcript else {}
    decided = getattr(prediction, "decided_items", [])
    scores = prediction.scores if prediction else {}
    return {
        "id": str(submission.public_id),
        "kind": submission.kind,
        "created_at": submission.created_at.isoformat(),
        "author": submission.user.email,
        "status": submission.status,
        "text": submission.text,
        "segments": [
            {
                "index": segment.index,
                "start": segment.start,
                "end": segment.end,
                "text": segment.text,
                "corrected": segment.edited,
                "label": segment.current_prediction.label if segment.current_prediction else None,
                # Who speaks it ("S1"…, "" when speakers were not asked for) and their name.
                "speaker": segment.speaker,
                "speaker_name": names.get(segment.speaker) or segment.speaker,
            }
            for segment in segments
        ],
        "label": prediction.label if prediction else None,
        "top_label": (prediction.top_label or prediction.label) if prediction else None,
        "uncertain": prediction.uncertain if prediction else None,
        **{
            column: scores.get(register.value)
            for column, register in zip(SCORE_COLUMNS, Register, strict=True)
        },
        "model_version": prediction.model_version if prediction else None,
        "transcript_revisions": getattr(submission, "revision_count", 0) if transcript else None,
        "transcript_validated": (transcript.validated_at is not None) if transcript else None,
        "review_label": decided[0].final_label if decided else None,
        "suggested_labels": [
            feedback.suggested_label for feedback in getattr(prediction, "register_feedback", [])
        ],
        "finished_at": submission.finished_at.isoformat() if submission.finished_at else None,
        "corpus": submission.corpus.name if submission.corpus else None,
        **({EXPLANATION_COLUMN: _sentences(submission, prediction)} if explanations else {}),
    }


class _Echo:
    """A file-like object whose write returns what it was given, so csv.writer makes lines."""

    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_lines(rows: Iterator[dict[str, Any]], explanations: bool = False) -> Iterator[str]:
    writer = csv.writer(_Echo())
    columns = [*CSV_COLUMNS, EXPLANATION_COLUMN] if explanations else CSV_COLUMNS
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        row = {
            **row,
            "segments": json.dumps(row["segments"], ensure_ascii=False) if row["segments"] else "",
            "suggested_labels": ";".join(row["suggested_labels"]),
        }
        if explanations:
            row[EXPLANATION_COLUMN] = json.dumps(row[EXPLANATION_COLUMN], ensure_ascii=False)
        yield writer.writerow([_cell(row[column]) for column in columns])
