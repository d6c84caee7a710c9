from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .exports import submissions_write_csv
from .models import AudioRecording, Prediction, Segment, Submission, Transcript, TranscriptRevision
from .services import audio_delete


class PredictionInline(admin.TabularInline[Prediction, Submission]):
    model = Prediction
    fk_name = "submission"
    extra = 0
    can_delete = False
    fields = ("created_at", "label", "uncertain", "scores", "model_version", "latency_ms")
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = (
        "short_text",
        "user",
        "kind",
        "status",
        "current_label",
        "created_at",
        "attempts",
    )
    list_filter = ("status", "kind", "current_prediction__label", "created_at")
    search_fields = ("text", "user__email", "public_id")
    date_hierarchy = "created_at"
    list_select_related = ("user", "current_prediction")
    # The text is what the model saw: editing it here would leave predictions that no longer match.
    readonly_fields = (
        "public_id",
        "user",
        "kind",
        "text",
        "status",
        "failure_reason",
        "attempts",
        "current_prediction",
        "created_at",
        "started_at",
        "finished_at",
    )
    fields = readonly_fields
    inlines = [PredictionInline]
    actions = ["export_csv"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Submissions come from the portal, whose service also queues their job.
        return False

    @admin.display(description=_("text"))
    def short_text(self, obj: Submission) -> str:
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("register"), ordering="current_prediction__label")
    def current_label(self, obj: Submission) -> str:
        return obj.current_prediction.label if obj.current_prediction else "—"

    @admin.action(description=_("Export selected submissions as CSV"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Submission]) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="parlure-submissions-{stamp}.csv"'
        submissions_write_csv(queryset.select_related("current_prediction"), response)
        return response


@admin.register(Prediction)
class PredictionAdmin(admin.ModelAdmin[Prediction]):
    list_display = (
        "submission",
        "label",
        "top_label",
        "uncertain",
        "model_version",
        "latency_ms",
        "created_at",
    )
    list_filter = ("label", "uncertain", "model_version", "created_at")
    search_fields = ("submission__text", "submission__user__email", "model_version")
    date_hierarchy = "created_at"
    list_select_related = ("submission",)
    readonly_fields = (
        "submission",
        "label",
        "top_label",
        "uncertain",
        "scores",
        "sentences",
        "model_version",
        "latency_ms",
        "created_at",
    )


class SegmentInline(admin.TabularInline[Segment, Transcript]):
    model = Segment
    extra = 0
    can_delete = False
    fields = ("index", "start", "end", "text", "edited", "current_prediction")
    readonly_fields = ("index", "start", "end", "text", "edited", "current_prediction")


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin[Transcript]):
    list_display = ("submission", "language", "detected_language", "version", "validated_at")
    list_filter = ("language", "detected_language", "validated_at", "created_at")
    search_fields = ("submission__text", "submission__user__email", "submission__public_id")
    list_select_related = ("submission",)
    readonly_fields = (
        "submission",
        "language",
        "detected_language",
        "language_probability",
        "duration_s",
        "model",
        "version",
        "validated_at",
        "validated_by",
        "created_at",
        "updated_at",
    )
    inlines = [SegmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # transcripts come from the speech model


@admin.register(TranscriptRevision)
class TranscriptRevisionAdmin(admin.ModelAdmin[TranscriptRevision]):
    list_display = ("transcript", "version", "author", "created_at")
    list_filter = ("created_at",)
    search_fields = ("before", "after", "author__email")
    list_select_related = ("transcript", "author")
    readonly_fields = (
        "transcript",
        "segment",
        "version",
        "author",
        "before",
        "after",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # corrections go through the transcript editor


@admin.register(AudioRecording)
class AudioRecordingAdmin(admin.ModelAdmin[AudioRecording]):
    list_display = ("submission", "source", "duration_s", "size_bytes", "created_at", "deleted_at")
    list_filter = ("source", "created_at", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("original_name", "submission__user__email", "submission__public_id")
    list_select_related = ("submission",)
    readonly_fields = (
        "submission",
        "file",
        "source",
        "original_name",
        "size_bytes",
        "duration_s",
        "container",
        "codec",
        "created_at",
        "deleted_at",
    )
    actions = ["delete_audio_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Delete the selected recordings' audio now"))
    def delete_audio_now(self, request: HttpRequest, queryset: QuerySet[AudioRecording]) -> None:
        deleted = sum(audio_delete(recording=r, reason="admin") for r in queryset)
        self.message_user(request, _("%(count)s recordings deleted.") % {"count": deleted})
