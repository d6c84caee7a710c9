"""Every read of submissions goes through these functions; each one is scoped to its user.

Fetching one submission for a person is ``annotation.access.submission_get`` (404 when they cannot
see it, 403 when their corpus role does not allow the action): pages and API share it.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Count, F, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from common.vocabulary import vocabulary_terms
from corpora.access import ROLE_CAN, Can, corpora_visible, corpus_role
from corpora.models import Corpus

from .access import submissions_visible
from .models import (
    LiveRecording,
    LiveSegment,
    Prediction,
    Segment,
    Submission,
    Transcript,
    TranscriptRevision,
)


class SubmissionFilters(TypedDict, total=False):
    q: str  # words to find in the text (for audio, the current transcript)
    kind: str  # Submission.Kind
    corpus: Corpus  # one the person can see (the form offers only those)
    label: str
    date_from: datetime.date
    date_to: datetime.date


# The text search configuration on PostgreSQL: French stemming and stop words. The GIN index of
# migration 0007 is on this very expression, so that the planner can use it.
SEARCH_CONFIG = "french"


@dataclass(frozen=True)
class SubmissionAbilities:
    """What a person who sees a submission may also do with it (reading is given)."""

    annotate: bool  # correct its transcript, send feedback on its labels
    review: bool  # validate its transcript
    manage: bool  # cancel its job, delete it


def submission_abilities(*, user: User, submission: Submission) -> SubmissionAbilities:
    """The corpora.access rules for one submission, in one query at most: pages use them to hide
    the controls a person may not use, the API to tell clients."""
    if submission.user_id == user.pk:
        allowed = frozenset(Can)
    elif submission.corpus is not None:
        role = corpus_role(user=user, corpus=submission.corpus)
        allowed = ROLE_CAN[role] if role is not None else frozenset()
    else:
        allowed = frozenset()
    return SubmissionAbilities(
        annotate=Can.ANNOTATE in allowed, review=Can.REVIEW in allowed, manage=Can.MANAGE in allowed
    )


def submission_list_visible(*, user: User) -> QuerySet[Submission]:
    """Every submission the person may read (theirs and their corpora's), newest first."""
    return (
        submissions_visible(user=user)
        .select_related("current_prediction", "corpus", "user")
        .order_by("-created_at", "-id")
    )


def submission_search(queryset: QuerySet[Submission], words: str) -> QuerySet[Submission]:
    """The submissions whose text holds these words (all of them).

    For audio, ``Submission.text`` is the current transcript, rewritten from its segments by each
    correction (``annotation.services.transcripts``): searching it finds a transcript's words.

    On PostgreSQL, full-text search with the French configuration: "chanter" finds "chantait",
    and the query reads like a search engine's ("a b" both, "a or b", "-a" without, quotes for a
    phrase). Elsewhere (the embedded SQLite), each word must appear in the text, in any case
    (SQLite folds the case of ASCII letters only); accents count.
    """
    words = words.strip()
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return queryset.annotate(search=SearchVector("text", config=SEARCH_CONFIG)).filter(
            search=SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
        )
    for word in words.split():
        word = word.strip("\"'").lstrip("-")
        if word and word.lower() != "or":
            queryset = queryset.filter(text__icontains=word)
    return queryset


def submissions_filter(
    queryset: QuerySet[Submission], filters: SubmissionFilters | None
) -> QuerySet[Submission]:
    """The submissions that pass these filters (the search box, kind, corpus, register, dates).

    The caller scopes ``queryset`` to what the person may see; a corpus filter only narrows it.
    """
    filters = filters or {}
    if words := filters.get("q"):
        queryset = submission_search(queryset, words)
    if kind := filters.get("kind"):
        queryset = queryset.filter(kind=kind)
    if corpus := filters.get("corpus"):
        queryset = queryset.filter(corpus=corpus)
    if label := filters.get("label"):
        queryset = queryset.filter(current_prediction__label=label)
    if date_from := filters.get("date_from"):
        queryset = queryset.filter(created_at__date__gte=date_from)
    if date_to := filters.get("date_to"):
        queryset = queryset.filter(created_at__date__lte=date_to)
    return queryset


def submission_list_for_user(
    *, user: User, filters: SubmissionFilters | None = None
) -> QuerySet[Submission]:
    queryset = Submission.objects.filter(user=user).select_related("current_prediction", "corpus")
    return submissions_filter(queryset, filters).order_by("-created_at", "-id")


def corpora_for_filter(*, user: User) -> QuerySet[Corpus]:
    """The corpora a list of submissions can be narrowed to: those the person can see."""
    return corpora_visible(user=user).order_by("name", "id")


def submissions_visible_by_public_ids(
    *, user: User, public_ids: Iterable[uuid.UUID]
) -> list[Submission]:
    """Those of these submissions the person can see (others' ids match nothing), oldest first."""
    return list(
        submissions_visible(user=user)
        .select_related("corpus")
        .filter(public_id__in=list(public_ids))
        .order_by("pk")
    )


def submission_counts_for_user(*, user: User) -> dict[str, int]:
    return Submission.objects.filter(user=user).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=Submission.Status.DONE)),
        failed=Count("id", filter=Q(status=Submission.Status.FAILED)),
    )


def register_model_busy(*, idle_seconds: float) -> bool:
    """Whether the champion has work, or had some in the last `idle_seconds`: a text waiting for
    or being classified, a transcript being classified, or a prediction just made. A challenger
    in shadow works only when this is false (pipeline.tasks.shadow)."""
    Status = Submission.Status
    if Submission.objects.filter(
        Q(kind=Submission.Kind.TEXT, status=Status.QUEUED) | Q(status=Status.CLASSIFYING)
    ).exists():
        return True
    since = timezone.now() - datetime.timedelta(seconds=idle_seconds)
    return Prediction.objects.filter(created_at__gte=since).exists()


def submission_vocabulary(*, submission_id: int) -> list[str]:
    """The terms the speech model is given for this recording: its corpus's, then its author's
    (common.vocabulary), without repeats."""
    row = (
        Submission.objects.filter(pk=submission_id)
        .values("user__vocabulary", "corpus__vocabulary")
        .first()
    )
    if row is None:
        return []
    both = "\n".join(filter(None, [row["corpus__vocabulary"], row["user__vocabulary"]]))
    return vocabulary_terms(both)


# While these, a recording's live segments are shown: being recorded (the pieces decoded so far),
# waiting for its transcription after the stop, or being transcribed.
LIVE_STATUSES = (
    Submission.Status.RECORDING,
    Submission.Status.QUEUED,
    Submission.Status.TRANSCRIBING,
)


def live_segments_shown(*, submission: Submission) -> list[LiveSegment]:
    """What a recording or a running transcription has decoded so far; none once the job has
    stopped (the transcript, when there is one, replaces them)."""
    if submission.status not in LIVE_STATUSES:
        return []
    return list(submission.live_segments.order_by("index"))


def live_segments_to_classify(*, submission_id: int) -> list[LiveSegment]:
    """The live segments of a recording or a running transcription that have no register yet."""
    return list(
        LiveSegment.objects.filter(
            submission_id=submission_id,
            submission__status__in=LIVE_STATUSES,
            label="",
        ).order_by("index")
    )


def live_recording_resumable(
    *, submission_id: int
) -> tuple[LiveRecording | None, list[LiveSegment]]:
    """For a recording transcribed while it was made: how far it was decoded for good, and the
    segments of that audio, in order. (None, []) when nothing was: the whole file is decoded."""
    live = LiveRecording.objects.filter(submission_id=submission_id, stable_until_s__gt=0).first()
    if live is None:
        return None, []
    segments = list(
        LiveSegment.objects.filter(
            submission_id=submission_id, index__lt=live.stable_segments
        ).order_by("index")
    )
    if len(segments) != live.stable_segments:
        return None, []  # some went missing: trust none of it
    return live, segments


def segments_to_classify(*, transcript: Transcript) -> list[Segment]:
    """Segments whose register is unknown or older than their latest correction."""
    corrected_in = dict(
        TranscriptRevision.objects.filter(transcript=transcript)
        .values("segment_id")
        .annotate(version=Max("version"))
        .values_list("segment_id", "version")
    )
    return [
        segment
        for segment in transcript.segments.select_related("current_prediction").order_by("index")
        if segment.current_prediction is None
        or (segment.current_prediction.transcript_version or 0) < corrected_in.get(segment.pk, 0)
    ]


def transcript_get(*, submission: Submission) -> Transcript:
    """The submission's transcript; 404 for a text, or for audio not transcribed yet."""
    transcript = Transcript.objects.filter(submission=submission).first()
    if transcript is None:
        raise Http404("This submission has no transcript.")
    return transcript


def corpus_transcripts(*, corpus: Corpus) -> QuerySet[Transcript]:
    """The transcripts of the corpus's recordings, oldest first."""
    return (
        Transcript.objects.filter(submission__corpus=corpus)
        .select_related("submission")
        .order_by("submission__created_at", "pk")
    )


def segment_get(*, transcript: Transcript, index: int) -> Segment:
    segment = transcript.segments.filter(index=index).first()
    if segment is None:
        raise Http404("No such segment.")
    return segment


def transcript_segments(*, transcript: Transcript) -> list[Segment]:
    return list(transcript.segments.select_related("current_prediction").order_by("index"))


@dataclass(frozen=True)
class UncertainShare:
    """How many of a transcript's words the editor marks as uncertain, of how many."""

    uncertain: int
    total: int

    @property
    def percent(self) -> int:
        """The share in whole percent; never 0 while a word is left to check, nor 100 while one
        is not (rounding would say "none" or "all")."""
        if not self.total:
            return 0
        percent = round(100 * self.uncertain / self.total)
        if self.uncertain:
            percent = max(1, percent)
        if self.uncertain < self.total:
            percent = min(99, percent)
        return percent


def segments_uncertain_share(segments: Iterable[Segment]) -> UncertainShare:
    """The uncertain words of these segments, counted as the editor shows them: on the timed
    words (``Segment.timed_words``). A segment whose words do not spell its text (corrected
    before corrections realigned the words) counts its text's words, none of them uncertain;
    rows written before words had the flag count as not uncertain."""
    uncertain = total = 0
    for segment in segments:
        words = segment.timed_words
        if words:
            total += len(words)
            uncertain += sum(1 for word in words if word.get("uncertain") is True)
        else:
            total += len(segment.text.split())
    return UncertainShare(uncertain=uncertain, total=total)


def submissions_uncertain_shares(*, submissions: Iterable[Submission]) -> dict[int, UncertainShare]:
    """The share of uncertain words of each of these submissions that has a transcript, by
    submission id, in one query whatever their number (a page of a corpus's list)."""
    ids = [submission.pk for submission in submissions if submission.kind == Submission.Kind.AUDIO]
    if not ids:
        return {}
    by_submission: dict[int, list[Segment]] = {}
    segments = (
        Segment.objects.filter(transcript__submission_id__in=ids)
        .annotate(submission_id=F("transcript__submission_id"))
        .only("text", "words")
        .order_by()
    )
    for segment in segments:
        by_submission.setdefault(segment.submission_id, []).append(segment)
    return {pk: segments_uncertain_share(rows) for pk, rows in by_submission.items()}


@dataclass(frozen=True)
class Speaker:
    label: str  # "S1", as on the segments
    name: str  # the name people gave it, or ""
    shown: str  # the name, else the label


def transcript_speakers(*, transcript: Transcript, segments: Sequence[Segment]) -> list[Speaker]:
    """The speakers of these segments (the transcript's), by label number: S1, S2… S10."""
    labels = {segment.speaker for segment in segments if segment.speaker}
    names = transcript.speaker_names or {}
    ordered = sorted(labels, key=lambda label: (len(label), label))
    speakers = []
    for label in ordered:
        name = str(names.get(label) or "")
        speakers.append(Speaker(label=label, name=name, shown=name or label))
    return speakers


def speaker_label_next(speakers: Sequence[Speaker]) -> str:
    """A label no segment has yet, for a new speaker: one more than the highest."""
    numbers = [int(speaker.label[1:]) for speaker in speakers if speaker.label[1:].isdigit()]
    return f"S{max(numbers, default=0) + 1}"


def transcript_revision_get(*, transcript: Transcript, version: int) -> TranscriptRevision:
    revision = transcript.revisions.filter(version=version).first()
    if revision is None:
        raise Http404("No such correction.")
    return revision


def transcript_revision_list(*, transcript: Transcript) -> QuerySet[TranscriptRevision]:
    """Corrections of the transcript, newest first."""
    return transcript.revisions.select_related("segment", "author").order_by("-created_at", "-id")


def prediction_list(*, submission: Submission) -> QuerySet[Prediction]:
    """Every prediction made for the submission (whole text and segments), newest first."""
    return (
        Prediction.objects.filter(submission=submission)
        .select_related("segment")
        .order_by("-created_at", "-id")
    )


def prediction_source_texts(
    *, submission: Submission, predictions: Iterable[Prediction]
) -> dict[int, str]:
    """The text each prediction read, by prediction id: the submission's text, or for audio the
    transcript (or its segment) as it was at the prediction's version.

    Corrections change the transcript after older predictions were made, and a prediction's
    offsets only make sense in the text it read: each revision keeps the text it replaced, so
    any version can be rebuilt.
    """
    predictions = list(predictions)
    transcript = Transcript.objects.filter(submission=submission).first()
    if transcript is None:
        return {prediction.pk: submission.text for prediction in predictions}
    segments = list(transcript.segments.order_by("index"))
    # (segment id, version, text before) in version order: a segment's text at version v is
    # what the first later correction replaced, or its current text if none came later.
    replaced = list(
        transcript.revisions.order_by("version").values_list("segment_id", "version", "before")
    )

    def segment_text(segment: Segment, version: int) -> str:
        for segment_id, corrected_in, before in replaced:
            if segment_id == segment.pk and corrected_in > version:
                return before
        return segment.text

    by_pk = {segment.pk: segment for segment in segments}
    texts: dict[int, str] = {}
    for prediction in predictions:
        version = prediction.transcript_version or transcript.version
        if prediction.segment_id is not None and prediction.segment_id in by_pk:
            texts[prediction.pk] = segment_text(by_pk[prediction.segment_id], version)
        else:
            parts = (segment_text(segment, version).strip() for segment in segments)
            texts[prediction.pk] = " ".join(part for part in parts if part)
    return texts


def prediction_text(*, prediction: Prediction) -> str:
    """The text this prediction read, the one its sentences' offsets point into: the one answer
    for pages, the API and review (``prediction_source_texts`` for several at once)."""
    return prediction_source_texts(submission=prediction.submission, predictions=[prediction])[
        prediction.pk
    ]
