"""The API's view of feedback and judgements: what people say of labels, what reviewers decide."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from annotation.models import Register
from annotation.serializers import AuthorSerializer, StrictCharField

from .models import Feedback, Judgement


class FeedbackCreateSerializer(serializers.Serializer[None]):
    prediction = serializers.IntegerField(
        min_value=1, help_text="The prediction's id (from a submission's predictions)."
    )
    sentence_index = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="One sentence of the prediction (its `index`); absent or null: the whole text "
        "(or the whole segment).",
    )
    kind = serializers.ChoiceField(
        choices=Feedback.Kind.choices,
        help_text="register: the register is wrong; transcript: a segment's text is wrong (on a "
        "segment's prediction, without a sentence).",
    )
    suggested_label = serializers.ChoiceField(
        choices=Register.choices,
        required=False,
        allow_blank=True,
        help_text="The right register (kind register only; it must differ from the one shown).",
    )
    comment = StrictCharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Optional, at most 2000 characters.",
    )


class FeedbackSerializer(serializers.ModelSerializer[Feedback]):
    submission = serializers.UUIDField(
        source="prediction.submission.public_id", read_only=True, help_text="The submission's id."
    )
    corpus = serializers.SerializerMethodField(help_text="The submission's corpus's id, or null.")
    segment = serializers.SerializerMethodField(
        help_text="The transcript segment's index when the prediction is a segment's."
    )
    author = AuthorSerializer(source="user", read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "prediction",
            "submission",
            "corpus",
            "segment",
            "sentence_index",
            "kind",
            "suggested_label",
            "comment",
            "author",
            "created_at",
        ]
        read_only_fields = fields

    def get_corpus(self, feedback: Feedback) -> str | None:
        corpus = feedback.prediction.submission.corpus
        return str(corpus.public_id) if corpus is not None else None

    def get_segment(self, feedback: Feedback) -> int | None:
        segment = feedback.prediction.segment
        return segment.index if segment is not None else None


class JudgementCreateSerializer(serializers.Serializer[None]):
    decision = serializers.ChoiceField(
        choices=Judgement.Decision.choices,
        help_text="accept: the suggested register (or the model's most probable one); reject: "
        "the model's register stands; relabel: the register in `label`.",
    )
    # A field named like Field.label (a string, say the stubs): fine at run time.
    label = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Register.choices,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="The register to relabel with (decision relabel only).",
    )


class JudgementResultSerializer(serializers.Serializer[dict[str, object]]):
    item = serializers.IntegerField(help_text="The review item's id.")
    decision = serializers.ChoiceField(choices=Judgement.Decision.choices)
    label = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Register.choices, help_text="Your judged register."
    )
    status = serializers.CharField(help_text="The item's status (decided).")
    final_label = serializers.ChoiceField(
        choices=Register.choices, help_text="The item's register, by majority of its judgements."
    )
    judgements = serializers.IntegerField(help_text="How many reviewers judged the item.")
    message = serializers.CharField(help_text="What happened, in the reader's language.")
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text="The queue's counts after this judgement: open, flags, uncertain, decided.",
    )


# At most this many judgements in one bulk request.
BULK_MAX = 100


class BulkJudgementItemSerializer(JudgementCreateSerializer):
    item = serializers.IntegerField(min_value=1, help_text="The review item's id.")


class BulkJudgementSerializer(serializers.Serializer[None]):
    judgements: serializers.ListSerializer[None] = serializers.ListSerializer(
        child=BulkJudgementItemSerializer(),
        allow_empty=False,
        max_length=BULK_MAX,
        help_text=f"One judgement per item, at most {BULK_MAX}, each item once.",
    )

    def validate_judgements(self, value: list[dict[str, object]]) -> list[dict[str, object]]:
        items = [entry["item"] for entry in value]
        if len(set(items)) != len(items):
            raise serializers.ValidationError(_("Each item may be judged once per request."))
        return value


class BulkJudgementOutcomeSerializer(serializers.Serializer[dict[str, object]]):
    item = serializers.IntegerField(help_text="The review item's id.")
    status = serializers.IntegerField(
        help_text="200: judged; 404: no such item; 400: refused (see `errors`)."
    )
    result = JudgementResultSerializer(
        required=False, help_text="As the single judgement's answer, without `counts`."
    )
    # Named as in the API's error shape; a field hiding Serializer.errors is fine at run time.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field → messages, when refused.",
    )


class BulkJudgementResultSerializer(serializers.Serializer[dict[str, object]]):
    results = BulkJudgementOutcomeSerializer(many=True, help_text="One per judgement, in order.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="The queue's counts after these judgements."
    )
