"""Find and replace across transcripts: a preview, then one correction per changed segment.

The caller has fetched the transcripts through the access rules (a submission or a corpus the
person may annotate). Applying goes through ``transcript_correct_segments``, the write path of a
hand correction: each changed segment is a revision of its own, undoable from the history.

``versions`` (submission public id → the transcript version the preview read) makes applying
safe against concurrent corrections: a segment corrected since that version is skipped and
reported, never overwritten; a transcript the preview did not read is left alone.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from annotation.models import Segment, Transcript, TranscriptRevision
from annotation.replacing import Replaced, Search, search_pattern, text_replace

from .submissions import text_clean
from .transcripts import transcript_check_open, transcript_correct_segments

FIND_MAX_CHARS = 1000

# Reasons a whole transcript, or one segment, was left as it was.
NOT_PREVIEWED = gettext_noop("This transcript was not in the preview; preview again.")
CHANGED = gettext_noop("This segment was corrected since the preview; it was left as it is.")


@dataclass(frozen=True)
class SegmentMatch:
    segment: Segment
    replaced: Replaced


@dataclass
class TranscriptReplace:
    """One transcript's part of a preview or of an applied replacement."""

    transcript: Transcript
    matches: list[SegmentMatch] = field(default_factory=list)
    # Set when the whole transcript cannot be changed: (code, message).
    refused: tuple[str, str] | None = None
    # Segments left as they were when applying: (segment, code, message).
    skipped: list[tuple[Segment, str, str]] = field(default_factory=list)
    changed: int = 0  # segments changed (applied only)

    @property
    def submission_id(self) -> uuid.UUID:
        return self.transcript.submission.public_id

    @property
    def match_count(self) -> int:
        return sum(match.replaced.count for match in self.matches)


def search_check(search: Search) -> None:
    """Raise ValidationError, by field ("find", "replace"), for a search that cannot run."""
    if not search.find:
        raise ValidationError({"find": ValidationError(_("Type the text to find."), code="empty")})
    if len(search.find) > FIND_MAX_CHARS:
        message = _("The text to find may be at most %(limit)s characters long.")
        raise ValidationError(
            {"find": ValidationError(message % {"limit": FIND_MAX_CHARS}, code="too_long")}
        )
    limit = settings.PARLURE_TEXT_MAX_CHARS
    if len(search.replace) > limit:  # as for a segment's text
        message = _("The replacement may be at most %(limit)s characters long.")
        raise ValidationError(
            {"replace": ValidationError(message % {"limit": limit}, code="too_long")}
        )


def _refusal(transcript: Transcript) -> tuple[str, str] | None:
    try:
        transcript_check_open(transcript)
    except ValidationError as error:
        return str(error.code), error.messages[0]
    return None


def _matches(transcript: Transcript, search: Search) -> list[SegmentMatch]:
    pattern = search_pattern(search)
    matches = []
    for segment in transcript.segments.order_by("index"):
        replaced = text_replace(segment.text, pattern, search.replace)
        if replaced is not None and replaced.after != segment.text:
            matches.append(SegmentMatch(segment=segment, replaced=replaced))
    return matches


def transcripts_replace_preview(
    *, transcripts: Iterable[Transcript], search: Search
) -> list[TranscriptReplace]:
    """What applying would change, transcript by transcript (only those with a match)."""
    search_check(search)
    preview = []
    for transcript in transcripts:
        matches = _matches(transcript, search)
        if matches:
            preview.append(
                TranscriptReplace(
                    transcript=transcript, matches=matches, refused=_refusal(transcript)
                )
            )
    return preview


@transaction.atomic
def transcripts_replace_apply(
    *,
    transcripts: Iterable[Transcript],
    search: Search,
    acting_user: User,
    versions: Mapping[uuid.UUID, int] | None = None,
) -> list[TranscriptReplace]:
    """Replace in every transcript that may be changed, in one transaction; report the others."""
    search_check(search)
    outcome = []
    for listed in transcripts:
        if not _matches(listed, search):
            continue  # not locked: a corpus's other transcripts stay free meanwhile
        transcript = (
            Transcript.objects.select_for_update(of=("self",))
            .select_related("submission")
            .get(pk=listed.pk)
        )
        matches = _matches(transcript, search)
        if not matches:
            continue
        result = TranscriptReplace(transcript=transcript, matches=matches)
        outcome.append(result)
        result.refused = _refusal(transcript)
        if result.refused is None and versions is not None:
            seen = versions.get(result.submission_id)
            if seen is None:
                result.refused = ("not_previewed", _(NOT_PREVIEWED))
            else:
                _skip_changed_since(result, seen)
        if result.refused is not None:
            continue
        _apply(result, acting_user)
    return outcome


def _skip_changed_since(result: TranscriptReplace, seen_version: int) -> None:
    changed_since = set(
        TranscriptRevision.objects.filter(
            transcript=result.transcript, version__gt=seen_version
        ).values_list("segment_id", flat=True)
    )
    kept = []
    for match in result.matches:
        if match.segment.pk in changed_since:
            result.skipped.append((match.segment, "changed", _(CHANGED)))
        else:
            kept.append(match)
    result.matches = kept


def _apply(result: TranscriptReplace, acting_user: User) -> None:
    texts = {}
    kept = []
    for match in result.matches:
        try:
            text = text_clean(match.replaced.after)
        except ValidationError as error:  # emptied, or grown past the limit
            result.skipped.append((match.segment, str(error.code), error.messages[0]))
            continue
        if text != match.segment.text:  # only outer spaces differed: nothing to correct
            texts[match.segment.pk] = text
            kept.append(match)
    result.matches = kept
    if texts:
        transcript_correct_segments(
            transcript=result.transcript, texts=texts, acting_user=acting_user
        )
        result.transcript.refresh_from_db(fields=["version"])
    result.changed = len(texts)
