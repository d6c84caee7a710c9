"""The API's view of submissions, transcripts and predictions: explicit fields, read-only glue.

Input serializers only check shapes; the rules (text length, audio content, who may do what)
stay in the services and the fetchers (annotation.access), shared with the pages.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User

from .models import (
    SPEAKERS_CHOICES,
    AudioRecording,
    LiveSegment,
    Prediction,
    Register,
    Segment,
    Submission,
    Transcript,
    TranscriptRevision,
)
from .predictions import PredictedSentence
from .selectors import live_segments_shown

CORPUS_HELP = "Add it to this corpus (its id); you need the annotator role or more there."
SHOWN_HELP = "The register shown, once done."
SEGMENT_HELP = "The segment's register, once classified."
CLIENT_TOKEN_HELP = (
    "A random UUID of your choice: sending it again returns the first submission (200) instead "
    "of creating another."
)


def _scores() -> serializers.DictField:
    return serializers.DictField(
        child=serializers.FloatField(),
        help_text="Calibrated probability of each register (soutenu, neutre, familier), summing "
        "to 1.",
    )


def _absolute(context: dict[str, Any], name: str, *args: object) -> str:
    url = reverse(f"api:{name}", args=args)
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


# --- Input ---------------------------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """A JSON string, never a number or a boolean turned into one (DRF's CharField turns
    ``{"text": 12345}`` into "12345": a program that sent a number sent the wrong field)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")  # "Not a valid string.", as for a list
        return super().to_internal_value(data)


class SubmissionTextCreateSerializer(serializers.Serializer[None]):
    text = StrictCharField(
        trim_whitespace=False,
        allow_blank=True,
        help_text="The French text to annotate (at most PARLURE_TEXT_MAX_CHARS characters).",
    )
    corpus = serializers.UUIDField(required=False, allow_null=True, help_text=CORPUS_HELP)
    client_token = serializers.UUIDField(
        required=False, allow_null=True, help_text=CLIENT_TOKEN_HELP
    )


class RecordingStartSerializer(serializers.Serializer[None]):
    """What a recording says before its audio: the same for a file sent whole."""

    corpus = serializers.UUIDField(required=False, allow_null=True, help_text=CORPUS_HELP)
    client_token = serializers.UUIDField(
        required=False, allow_null=True, help_text=CLIENT_TOKEN_HELP
    )
    speakers = serializers.ChoiceField(
        choices=[choice for choice in SPEAKERS_CHOICES if choice],
        allow_blank=True,
        default="",
        help_text='Label who speaks each segment: "auto" finds the number of speakers, a number '
        "from 2 to 6 says it; empty (the default) labels none. Adds the time of a voice "
        "encoder to the transcription (seconds per minute of speech).",
    )


class SubmissionAudioCreateSerializer(RecordingStartSerializer):
    file = serializers.FileField(
        allow_empty_file=True,
        help_text="A recording (WAV, MP3, Ogg, FLAC, WebM, M4A…); checked by its content.",
    )
    # A field named like Field.source (a string, say the stubs): fine at run time.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=AudioRecording.Source.choices,
        default=AudioRecording.Source.UPLOAD,
        help_text="upload: a file; recording: recorded in the portal's page.",
    )


class RecordingChunkSerializer(serializers.Serializer[dict[str, Any]]):
    next_chunk = serializers.IntegerField(help_text="The index the next chunk must have.")
    stored = serializers.BooleanField(
        help_text="False when this chunk had been stored already: nothing changed."
    )
    duration_s = serializers.FloatField(help_text="The recording's length so far, in seconds.")
    size_bytes = serializers.IntegerField(help_text="Its size so far.")


class SpeakerRenameSerializer(serializers.Serializer[None]):
    name = StrictCharField(
        trim_whitespace=False,
        allow_blank=True,
        help_text="The speaker's name for the whole transcript (at most 60 characters); empty "
        "takes the name back, and the label shows again.",
    )


class SegmentSpeakerSerializer(serializers.Serializer[None]):
    speaker = StrictCharField(
        allow_blank=True,
        help_text='A speaker label: one the transcript has, or a new one ("S" and a number, such '
        'as "S3"); empty for nobody.',
    )


class SegmentCorrectionSerializer(serializers.Serializer[None]):
    text = StrictCharField(
        trim_whitespace=False, allow_blank=True, help_text="The corrected text of the segment."
    )


class WordAcceptSerializer(serializers.Serializer[None]):
    word = StrictCharField(
        help_text="The word as the client shows it (spaces around it do not count): when the "
        "segment's word at that index is another one, the segment changed meanwhile (409)."
    )


# --- Output --------------------------------------------------------------------------------------


class AuthorSerializer(serializers.Serializer[User]):
    """Who did it. Only people who share the submission (its author and its corpus's owner and
    members) ever see this."""

    name = serializers.SerializerMethodField(
        help_text="Their display name, or their e-mail address when they have none."
    )
    is_you = serializers.SerializerMethodField(help_text="Whether it is the person asking.")

    def get_name(self, user: User) -> str:
        return user.get_full_name()

    def get_is_you(self, user: User) -> bool:
        request = self.context.get("request")
        return request is not None and request.user.pk == user.pk


EXPLANATION_STATES = [
    ("computed", "computed: each sentence's evidence is there"),
    ("not_computed", "not computed yet (bulk work): ask with ?explain=1"),
    ("computing", "queued or being computed: ask again"),
    ("unavailable", "the model that made the prediction is gone: never computed"),
]


def explanation_state(prediction: Prediction, *, queued: set[int] | None = None) -> str:
    """Where a prediction's explanations stand, as the API tells it."""
    if prediction.explained_at is not None:
        return "computed"
    if prediction.explanation_failure:
        return "unavailable"
    return "computing" if queued and prediction.pk in queued else "not_computed"


class ExplanationStateMixin(serializers.Serializer[Any]):
    """``explanations``: the view puts the predictions it queued in the context (``explaining``)."""

    explanations = serializers.SerializerMethodField(
        help_text="Whether the sentences' evidence (the deciding words) is computed: imports "
        "classify without it, and ?explain=1 computes it."
    )

    @extend_schema_field(serializers.ChoiceField(choices=EXPLANATION_STATES))
    def get_explanations(self, prediction: Prediction) -> str:
        return explanation_state(prediction, queued=self.context.get("explaining"))


class PredictionSummarySerializer(ExplanationStateMixin, serializers.ModelSerializer[Prediction]):
    """The register shown for a submission: its current prediction."""

    scores = _scores()

    class Meta:
        model = Prediction
        fields = [
            "id",
            "label",
            "top_label",
            "uncertain",
            "scores",
            "model_version",
            "explanations",
        ]
        read_only_fields = fields


class PermissionsSerializer(serializers.Serializer[Any]):
    annotate = serializers.BooleanField(help_text="Correct the transcript, send feedback.")
    review = serializers.BooleanField(help_text="Validate the transcript.")
    manage = serializers.BooleanField(help_text="Cancel the job, delete the submission.")


class SubmissionLinksSerializer(serializers.Serializer[Submission]):
    self = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField(help_text="The submission's page in the portal.")
    status = serializers.SerializerMethodField()
    transcript = serializers.SerializerMethodField(
        help_text="For audio only (null for a text); 404 until the recording is transcribed."
    )
    predictions = serializers.SerializerMethodField()

    def get_self(self, submission: Submission) -> str:
        return _absolute(self.context, "submission-detail", submission.public_id)

    def get_page(self, submission: Submission) -> str:
        url = reverse("annotation:submission_detail", args=[submission.public_id])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_status(self, submission: Submission) -> str:
        return _absolute(self.context, "submission-status", submission.public_id)

    def get_transcript(self, submission: Submission) -> str | None:
        if submission.kind != Submission.Kind.AUDIO:
            return None
        return _absolute(self.context, "submission-transcript", submission.public_id)

    def get_predictions(self, submission: Submission) -> str:
        return _absolute(self.context, "submission-predictions", submission.public_id)


class SubmissionListItemSerializer(serializers.ModelSerializer[Submission]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    corpus = serializers.SerializerMethodField(help_text="The corpus's id, or null.")
    author = AuthorSerializer(source="user", read_only=True)
    # A field named like Field.label (a string, say the stubs): fine at run time.
    label = serializers.SerializerMethodField(help_text=SHOWN_HELP)  # type: ignore[assignment]
    uncertain = serializers.SerializerMethodField(
        help_text="The model hesitated (the register shown is then neutre)."
    )
    text_preview = serializers.SerializerMethodField(help_text="The text's first 200 characters.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "kind",
            "status",
            "label",
            "uncertain",
            "text_preview",
            "corpus",
            "author",
            "created_at",
            "finished_at",
            "url",
        ]
        read_only_fields = fields

    def get_corpus(self, submission: Submission) -> str | None:
        return str(submission.corpus.public_id) if submission.corpus is not None else None

    @extend_schema_field(serializers.ChoiceField(choices=Register.choices, allow_null=True))
    def get_label(self, submission: Submission) -> str | None:
        prediction = submission.current_prediction
        return prediction.label if prediction is not None else None

    def get_uncertain(self, submission: Submission) -> bool | None:
        prediction = submission.current_prediction
        return prediction.uncertain if prediction is not None else None

    def get_text_preview(self, submission: Submission) -> str:
        text = submission.text
        return text if len(text) <= 200 else text[:199] + "…"

    def get_url(self, submission: Submission) -> str:
        return _absolute(self.context, "submission-detail", submission.public_id)


def failure_reason(submission: Submission) -> str:
    """Reasons are stored untranslated: shown in the reader's language."""
    return _(submission.failure_reason) if submission.failure_reason else ""


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    """Everything about one submission. ``permissions`` comes from the view's context."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    failure_reason = serializers.SerializerMethodField(
        help_text="Why the job failed, in the language asked for (Accept-Language)."
    )
    corpus = serializers.SerializerMethodField(help_text="The corpus's id, or null.")
    author = AuthorSerializer(source="user", read_only=True)
    prediction = PredictionSummarySerializer(
        source="current_prediction", read_only=True, allow_null=True
    )
    permissions = serializers.SerializerMethodField(
        help_text="What you may do with it besides reading (your corpus role, or yours)."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "failure_reason",
            "text",
            "corpus",
            "author",
            "created_at",
            "started_at",
            "finished_at",
            "prediction",
            "permissions",
            "links",
        ]
        read_only_fields = fields

    def get_failure_reason(self, submission: Submission) -> str:
        return failure_reason(submission)

    def get_corpus(self, submission: Submission) -> str | None:
        return str(submission.corpus.public_id) if submission.corpus is not None else None

    @extend_schema_field(PermissionsSerializer)
    def get_permissions(self, submission: Submission) -> dict[str, bool]:
        abilities = self.context["abilities"]
        return {
            "annotate": abilities.annotate,
            "review": abilities.review,
            "manage": abilities.manage,
        }

    @extend_schema_field(SubmissionLinksSerializer)
    def get_links(self, submission: Submission) -> dict[str, Any]:
        return SubmissionLinksSerializer(submission, context=self.context).data


class WorkerWarningSerializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(
        choices=["no_worker", "stalled"],
        help_text="no_worker: no worker serves the job's queue now; stalled: queued too long.",
    )
    queue = serializers.CharField(help_text="The queue the job waits on (nlp or asr).")
    message = serializers.CharField(help_text="For the person waiting, in their language.")
    hint = serializers.CharField(help_text="What staff can do; empty for everyone else.")


class LiveSegmentSerializer(serializers.ModelSerializer[LiveSegment]):
    label = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Register.choices,
        allow_null=True,
        help_text="The segment's register; null until the register model has read it.",
    )

    class Meta:
        model = LiveSegment
        fields = ["index", "start", "end", "text", "label", "uncertain"]
        read_only_fields = fields

    def to_representation(self, instance: LiveSegment) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["label"] = instance.label or None
        return data


class SubmissionStatusSerializer(serializers.ModelSerializer[Submission]):
    """What a client polls while a job runs: small and cheap."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    failure_reason = serializers.SerializerMethodField()
    finished = serializers.BooleanField(
        source="is_finished", read_only=True, help_text="Done, failed or cancelled: stop polling."
    )
    # A field named like Field.label (a string, say the stubs): fine at run time.
    label = serializers.SerializerMethodField(help_text=SHOWN_HELP)  # type: ignore[assignment]
    worker_warning = serializers.SerializerMethodField(
        help_text="Why the job may wait for a long time (no worker for its queue, or stalled), "
        "or null when it should go on normally."
    )
    live_segments = serializers.SerializerMethodField(
        help_text="While a recording is transcribed: the segments decoded so far, each with its "
        "register once read (null before). Empty otherwise: the transcript replaces them."
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "status",
            "progress",
            "failure_reason",
            "finished",
            "label",
            "worker_warning",
            "live_segments",
        ]
        read_only_fields = fields

    @extend_schema_field(WorkerWarningSerializer(allow_null=True))
    def get_worker_warning(self, submission: Submission) -> dict[str, str] | None:
        # Computed once by the view (it asks the workers); absent: nothing to say.
        warning: dict[str, str] | None = self.context.get("worker_warning")
        return warning

    def get_failure_reason(self, submission: Submission) -> str:
        return failure_reason(submission)

    @extend_schema_field(LiveSegmentSerializer(many=True))
    def get_live_segments(self, submission: Submission) -> list[dict[str, Any]]:
        segments = live_segments_shown(submission=submission)
        return list(LiveSegmentSerializer(segments, many=True).data)

    @extend_schema_field(serializers.ChoiceField(choices=Register.choices, allow_null=True))
    def get_label(self, submission: Submission) -> str | None:
        prediction = submission.current_prediction
        if submission.status != Submission.Status.DONE or prediction is None:
            return None
        return prediction.label


class WordSerializer(serializers.Serializer[dict[str, Any]]):
    start = serializers.FloatField(help_text="Seconds from the start of the recording.")
    end = serializers.FloatField()
    word = serializers.CharField(help_text="As the speech model heard it (may start with a space).")
    probability = serializers.FloatField(
        allow_null=True,
        help_text="The speech model's own word probability, raw; null for a word a person typed.",
    )
    confidence = serializers.FloatField(
        allow_null=True,
        default=None,
        help_text="Calibrated probability that the word is right (word probability, its "
        "neighbours', the window's log-probability and no-speech probability, the word's "
        "duration); null for a word a person typed or one transcribed before calibration.",
    )
    uncertain = serializers.BooleanField(
        default=False,
        help_text="True when the confidence is below the threshold the editor points at (set "
        "to flag about one word in seven on clean speech); false once a person accepted or "
        "typed the word.",
    )


class SegmentSerializer(serializers.ModelSerializer[Segment]):
    words = WordSerializer(
        many=True,
        read_only=True,
        help_text="The segment's words with their times. After a correction they are the new "
        "text's words: an unchanged word keeps the speech model's times, a new word takes the "
        "time of the words it replaces (or of the gap where it was inserted).",
    )
    # A field named like Field.label (a string, say the stubs): fine at run time.
    label = serializers.SerializerMethodField(help_text=SEGMENT_HELP)  # type: ignore[assignment]
    top_label = serializers.SerializerMethodField()
    uncertain = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    classified_version = serializers.SerializerMethodField(
        help_text="The transcript version the register was computed on: lower than the "
        "transcript's version while a correction is being classified."
    )
    speaker = serializers.CharField(
        read_only=True,
        help_text='Who speaks it: a label ("S1", "S2"…), or empty when speakers were not labelled.',
    )
    speaker_name = serializers.CharField(
        read_only=True,
        help_text="The speaker's name in this transcript (the label until someone names them); "
        "empty without a speaker.",
    )

    class Meta:
        model = Segment
        fields = [
            "index",
            "start",
            "end",
            "text",
            "edited",
            "speaker",
            "speaker_name",
            "words",
            "label",
            "top_label",
            "uncertain",
            "scores",
            "classified_version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Register.choices, allow_null=True))
    def get_label(self, segment: Segment) -> str | None:
        prediction = segment.current_prediction
        return prediction.label if prediction is not None else None

    @extend_schema_field(serializers.ChoiceField(choices=Register.choices, allow_null=True))
    def get_top_label(self, segment: Segment) -> str | None:
        prediction = segment.current_prediction
        return (prediction.top_label or prediction.label) if prediction is not None else None

    def get_uncertain(self, segment: Segment) -> bool | None:
        prediction = segment.current_prediction
        return prediction.uncertain if prediction is not None else None

    @extend_schema_field(serializers.DictField(child=serializers.FloatField(), allow_null=True))
    def get_scores(self, segment: Segment) -> dict[str, float] | None:
        prediction = segment.current_prediction
        if prediction is None:
            return None
        return {label: float(score) for label, score in prediction.scores.items()}

    def get_classified_version(self, segment: Segment) -> int | None:
        prediction = segment.current_prediction
        return prediction.transcript_version if prediction is not None else None


class SegmentCorrectedSerializer(SegmentSerializer):
    """A corrected segment, with the transcript version the correction made."""

    transcript_version = serializers.IntegerField(
        source="transcript.version",
        read_only=True,
        help_text="The transcript's version after this correction (unchanged when the text was).",
    )

    class Meta(SegmentSerializer.Meta):
        fields = [*SegmentSerializer.Meta.fields, "transcript_version"]
        read_only_fields = fields


class TranscriptSerializer(serializers.ModelSerializer[Transcript]):
    speaker_names = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text='The names given to speaker labels ({"S1": "Marie"}); a label without a name '
        "is shown as it is.",
    )
    segments = serializers.SerializerMethodField()

    class Meta:
        model = Transcript
        fields = [
            "language",
            "detected_language",
            "language_probability",
            "duration_s",
            "model",
            "version",
            "validated_at",
            "speaker_names",
            "segments",
        ]
        read_only_fields = fields

    @extend_schema_field(SegmentSerializer(many=True))
    def get_segments(self, transcript: Transcript) -> list[dict[str, Any]]:
        segments = self.context["segments"]
        serializer = SegmentSerializer(segments, many=True, context=self.context)
        return serializer.data  # type: ignore[return-value]  # a list when many=True


class TranscriptRevisionSerializer(serializers.ModelSerializer[TranscriptRevision]):
    segment = serializers.IntegerField(source="segment.index", read_only=True)
    author = AuthorSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TranscriptRevision
        fields = ["id", "version", "segment", "before", "after", "author", "created_at"]
        read_only_fields = fields


class EvidenceSerializer(serializers.Serializer[dict[str, Any]]):
    start = serializers.IntegerField(help_text="Offset in the text the prediction read.")
    end = serializers.IntegerField()
    text = serializers.CharField(
        allow_null=True,
        help_text="The word (or words) at those offsets (null if they no longer fit the text).",
    )
    weight = serializers.FloatField(
        help_text="Its share of what pushed the decision: without it, the model would be less "
        "sure of the register."
    )


class SentenceSerializer(serializers.Serializer[dict[str, Any]]):
    index = serializers.IntegerField(help_text="Use it as sentence_index in feedback.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField(
        allow_null=True, help_text="The sentence (null if its offsets no longer fit the text)."
    )
    # A field named like Field.label (a string, say the stubs): fine at run time.
    label = serializers.ChoiceField(choices=Register.choices)  # type: ignore[assignment]
    top_label = serializers.ChoiceField(choices=Register.choices)
    uncertain = serializers.BooleanField()
    scores = _scores()
    evidence = EvidenceSerializer(many=True)


def sentences_readable(source: str, sentences: list[PredictedSentence]) -> list[dict[str, Any]]:
    """A prediction's stored sentences with their text and their evidence's words."""

    def piece(start: int, end: int) -> str | None:
        return source[start:end] if 0 <= start < end <= len(source) else None

    readable = []
    for index, sentence in enumerate(sentences):
        readable.append(
            {
                "index": index,
                "start": sentence.start,
                "end": sentence.end,
                "text": piece(sentence.start, sentence.end),
                "label": sentence.label,
                "top_label": sentence.top_label,
                "uncertain": sentence.uncertain,
                "scores": sentence.scores,
                "evidence": [
                    {
                        "start": evidence.start,
                        "end": evidence.end,
                        "text": piece(evidence.start, evidence.end),
                        "weight": evidence.weight,
                    }
                    for evidence in sentence.evidence
                ],
            }
        )
    return readable


class PredictionSerializer(ExplanationStateMixin, serializers.ModelSerializer[Prediction]):
    """One prediction; the text it read comes from the view's context (``sources``)."""

    scores = _scores()
    segment = serializers.SerializerMethodField(
        help_text="The transcript segment's index, or null for the whole text."
    )
    sentences = serializers.SerializerMethodField()

    class Meta:
        model = Prediction
        fields = [
            "id",
            "label",
            "top_label",
            "uncertain",
            "scores",
            "model_version",
            "latency_ms",
            "segment",
            "transcript_version",
            "created_at",
            "explanations",
            "sentences",
        ]
        read_only_fields = fields

    def get_segment(self, prediction: Prediction) -> int | None:
        return prediction.segment.index if prediction.segment is not None else None

    @extend_schema_field(SentenceSerializer(many=True))
    def get_sentences(self, prediction: Prediction) -> list[dict[str, Any]]:
        source = self.context["sources"].get(prediction.pk, "")
        return sentences_readable(source, prediction.sentence_list())
