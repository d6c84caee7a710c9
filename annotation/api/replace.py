"""Find and replace in a transcript; the corpus endpoint (corpora.api) shares what is here."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import request_user
from annotation.access import Can, submission_get
from annotation.models import Transcript
from annotation.replacing import Search
from annotation.selectors import transcript_get
from annotation.serializers import StrictCharField
from annotation.services import (
    TranscriptReplace,
    transcripts_replace_apply,
    transcripts_replace_preview,
)

from .common import PUBLIC_ID, TAG_TRANSCRIPTS

VERSIONS_MAX = 10_000


class ReplaceRequestSerializer(serializers.Serializer[None]):
    find = StrictCharField(
        trim_whitespace=False,
        allow_blank=True,  # the service says what is wrong with an empty search
        help_text="The text to find, literally (not a pattern). Accents count.",
    )
    replace = StrictCharField(
        trim_whitespace=False,
        allow_blank=True,
        default="",
        help_text="What replaces each match, literally; empty removes the matches.",
    )
    whole_word = serializers.BooleanField(
        default=False, help_text="Only where no letter or digit touches the match."
    )
    case_sensitive = serializers.BooleanField(
        default=False, help_text="Match the case too (by default, `été` also finds `Été`)."
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Only preview: what would change, nothing changed."
    )
    versions = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text=(
            "The preview's `version` of each transcript, by submission id. Given, a segment "
            "corrected since that version is skipped (`changed`), and a transcript not listed "
            "is left alone (`not_previewed`)."
        ),
    )

    def validate_versions(self, value: dict[str, int]) -> dict[uuid.UUID, int]:
        if len(value) > VERSIONS_MAX:
            raise serializers.ValidationError(f"At most {VERSIONS_MAX} transcripts.")
        try:
            return {uuid.UUID(key): version for key, version in value.items()}
        except ValueError:
            raise serializers.ValidationError("Keys must be submission ids.") from None


class ReplaceSegmentSerializer(serializers.Serializer[None]):
    index = serializers.IntegerField()
    start = serializers.FloatField()
    end = serializers.FloatField()
    before = serializers.CharField()
    after = serializers.CharField()
    matches = serializers.IntegerField(help_text="How many times the search is found in it.")
    before_spans = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="[start, end) of each match in `before`.",
    )
    after_spans = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="[start, end) of each replacement in `after`.",
    )


class ReplaceSkippedSerializer(serializers.Serializer[None]):
    index = serializers.IntegerField()
    code = serializers.CharField(help_text="changed, empty or too_long.")
    detail = serializers.CharField()


class ReplaceRefusalSerializer(serializers.Serializer[None]):
    code = serializers.CharField(help_text="validated, not_done or not_previewed.")
    detail = serializers.CharField()


class ReplaceTranscriptSerializer(serializers.Serializer[None]):
    submission = serializers.UUIDField()
    version = serializers.IntegerField(help_text="The transcript's version after this request.")
    refused = ReplaceRefusalSerializer(
        allow_null=True, help_text="Why the transcript cannot be changed; null if it can."
    )
    matches = serializers.IntegerField()
    changed = serializers.IntegerField(help_text="Segments changed (0 for a preview).")
    segments = ReplaceSegmentSerializer(
        many=True, help_text="The segments changed (or, for a preview, that would change)."
    )
    skipped = ReplaceSkippedSerializer(many=True)


class ReplaceResponseSerializer(serializers.Serializer[None]):
    dry_run = serializers.BooleanField()
    matches = serializers.IntegerField()
    changed = serializers.IntegerField(help_text="Segments changed, in all transcripts.")
    skipped = serializers.IntegerField(help_text="Segments left as they were, in all.")
    transcripts = ReplaceTranscriptSerializer(many=True)


def _transcript_body(item: TranscriptReplace) -> dict[str, Any]:
    return {
        "submission": item.submission_id,
        "version": item.transcript.version,
        "refused": (
            None if item.refused is None else {"code": item.refused[0], "detail": item.refused[1]}
        ),
        "matches": item.match_count,
        "changed": item.changed,
        "segments": [
            {
                "index": match.segment.index,
                "start": match.segment.start,
                "end": match.segment.end,
                "before": match.replaced.before,
                "after": match.replaced.after,
                "matches": match.replaced.count,
                "before_spans": [list(span) for span in match.replaced.before_spans],
                "after_spans": [list(span) for span in match.replaced.after_spans],
            }
            for match in item.matches
        ],
        "skipped": [
            {"index": segment.index, "code": code, "detail": detail}
            for segment, code, detail in item.skipped
        ],
    }


def replace_response(request: Request, transcripts: Iterable[Transcript]) -> Response:
    """Validate the request, preview or apply, answer: what both endpoints do once they have
    fetched the transcripts the person may change."""
    payload = ReplaceRequestSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    data = payload.validated_data
    search = Search(
        find=data["find"],
        replace=data["replace"],
        whole_word=data["whole_word"],
        case_sensitive=data["case_sensitive"],
    )
    try:
        if data["dry_run"]:
            items = transcripts_replace_preview(transcripts=transcripts, search=search)
        else:
            items = transcripts_replace_apply(
                transcripts=transcripts,
                search=search,
                acting_user=request_user(request),
                versions=data.get("versions"),
            )
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.message_dict) from None
    bodies = [_transcript_body(item) for item in items]
    return Response(
        {
            "dry_run": data["dry_run"],
            "matches": sum(body["matches"] for body in bodies),
            "changed": sum(body["changed"] for body in bodies),
            "skipped": sum(len(body["skipped"]) for body in bodies),
            "transcripts": bodies,
        }
    )


REPLACE_DESCRIPTION = (
    "Finds the text `find` (literally, accents included; case ignored unless `case_sensitive`) "
    "and replaces it with `replace`. With `dry_run`, only previews: each segment that would "
    "change, before and after, with where the matches are. Otherwise each changed segment is "
    "one correction (a revision, undoable from the history), all in one transaction. A "
    "transcript that cannot be changed (validated, job not done) is listed with `refused` and "
    "left as it is. Send the preview's `versions` back to skip segments corrected by someone "
    "else since. An empty `find` is a 400."
)
REPLACE_EXAMPLE = {"find": "réunion", "replace": "séance", "whole_word": True, "dry_run": True}


class TranscriptReplaceView(APIView):
    @extend_schema(
        operation_id="transcript_replace",
        summary="Find and replace in a transcript",
        description=REPLACE_DESCRIPTION
        + " Needs the annotator role (or more) in the submission's corpus.",
        tags=[TAG_TRANSCRIPTS],
        parameters=[PUBLIC_ID],
        request=ReplaceRequestSerializer,
        responses={200: ReplaceResponseSerializer},
        examples=[OpenApiExample("A preview", value=REPLACE_EXAMPLE, request_only=True)],
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        user = request_user(request)
        submission = submission_get(user=user, public_id=public_id, can=Can.ANNOTATE)
        transcript = transcript_get(submission=submission)
        return replace_response(request, [transcript])
