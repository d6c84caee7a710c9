"""What the API says about corpora, their members and imports, and what it reads from requests.

Input serializers only read and type the input: the rules (lengths, who may be added, which
submissions may join) live in the services, whose ValidationError the API answers as a 400.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.vocabulary import VOCABULARY_MAX_TERMS, VOCABULARY_TERM_MAX_CHARS, vocabulary_terms

from .access import OWNER
from .exports import EXPORT_FORMATS
from .models import Corpus, CorpusMember, ImportBatch
from .selectors import batch_progress
from .services.corpora import CORPUS_DESCRIPTION_MAX, CORPUS_NAME_MAX

ROLE_CHOICES = [(OWNER, "owner"), *CorpusMember.Role.choices]


class CorpusSerializer(serializers.ModelSerializer[Corpus]):
    """A corpus as listed: the requester's ``role`` and the submission count come annotated by
    ``corpus_list_for_user``."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    owner = serializers.EmailField(source="owner.email", read_only=True)
    # A plain string in the schema: an enum here would collide with CorpusMember.Role's "role".
    role = serializers.CharField(
        read_only=True, help_text="Your role in this corpus: owner, viewer, annotator or reviewer."
    )
    submission_count = serializers.IntegerField(
        read_only=True, help_text="How many submissions the corpus holds."
    )
    vocabulary = serializers.SerializerMethodField(
        help_text="Names and jargon its recordings contain, given to the speech model."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_vocabulary(self, corpus: Corpus) -> list[str]:
        return vocabulary_terms(corpus.vocabulary)

    class Meta:
        model = Corpus
        fields = [
            "id",
            "name",
            "description",
            "owner",
            "role",
            "submission_count",
            "vocabulary",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CorpusWriteSerializer(serializers.Serializer[None]):
    name = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"1 to {CORPUS_NAME_MAX} characters.",
    )
    description = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        required=False,
        default="",
        help_text=f"Up to {CORPUS_DESCRIPTION_MAX} characters.",
    )
    vocabulary = serializers.ListField(
        child=serializers.CharField(max_length=VOCABULARY_TERM_MAX_CHARS),
        max_length=VOCABULARY_MAX_TERMS,
        required=False,
        help_text=(
            f"Names and jargon the recordings contain (up to {VOCABULARY_MAX_TERMS} terms of "
            f"{VOCABULARY_TERM_MAX_CHARS} characters), given to the speech model so that it "
            "spells them as written."
        ),
    )


class MemberSerializer(serializers.ModelSerializer[CorpusMember]):
    email = serializers.EmailField(source="user.email", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = CorpusMember
        fields = ["id", "email", "display_name", "role", "added_at"]
        read_only_fields = fields


class MemberCreateSerializer(serializers.Serializer[None]):
    email = serializers.CharField(help_text="The address of the person's Parlure account.")
    role = serializers.ChoiceField(choices=CorpusMember.Role.choices)


class MemberUpdateSerializer(serializers.Serializer[None]):
    role = serializers.ChoiceField(choices=CorpusMember.Role.choices)


# How many submissions one request may add.
SUBMISSIONS_ADD_MAX = 500


class SubmissionsAddSerializer(serializers.Serializer[None]):
    submissions = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=False,
        max_length=SUBMISSIONS_ADD_MAX,
        help_text=(
            f"Ids of your own submissions, 1 to {SUBMISSIONS_ADD_MAX}, that are in no corpus or "
            "already in this one."
        ),
    )


class SubmissionsAddedSerializer(serializers.Serializer[dict[str, Any]]):
    corpus = serializers.UUIDField(help_text="The corpus's id.")
    submissions = serializers.ListField(
        child=serializers.UUIDField(), help_text="The submissions now in the corpus."
    )


class ProblemSerializer(serializers.Serializer[None]):
    line = serializers.IntegerField(
        allow_null=True, help_text="The line (or row's first line) in the file; null for a ZIP."
    )
    member = serializers.CharField(help_text="The file in the archive, for a ZIP; else empty.")
    code = serializers.CharField(help_text="A stable code, e.g. empty, too_long, not_audio.")
    message = serializers.CharField(help_text="What is wrong, for people.")


class BatchProgressSerializer(serializers.Serializer[None]):
    total = serializers.IntegerField(help_text="Submissions the import created.")
    queued = serializers.IntegerField()
    running = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    finished = serializers.BooleanField(help_text="Whether every submission is done or ended.")
    fraction = serializers.FloatField(help_text="The finished share, 0 to 1.")


class ImportBatchSerializer(serializers.ModelSerializer[ImportBatch]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    created_by = serializers.EmailField(source="created_by.email", read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField(help_text="Where its submissions stand.")

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "file_name",
            "format",
            "items_read",
            "items_accepted",
            "items_rejected",
            "problems",
            "progress",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(BatchProgressSerializer)
    def get_progress(self, batch: ImportBatch) -> dict[str, Any]:
        return dict(batch_progress(batch=batch))


class ImportCreateSerializer(serializers.Serializer[None]):
    file = serializers.FileField(
        help_text=(
            "CSV or TSV with a `text` (or `texte`) column, JSONL with a `text` field, TXT with one "
            "text per line (UTF-8), or a ZIP of audio files."
        )
    )
    client_token = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A random UUID: sending the same import again returns the first one (200).",
    )


class ExportQuerySerializer(serializers.Serializer[None]):
    file_format = serializers.ChoiceField(
        choices=list(EXPORT_FORMATS), help_text="csv (text/csv) or jsonl (application/x-ndjson)."
    )
    explain = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Add each text's sentences with the words that decided them (a `sentences` "
        "column). Texts imported in bulk are classified without them: the first request "
        "queues their computation and answers 202 with how many are missing; ask again once "
        "none is.",
    )
