from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .exports import submissions_write_csv
from .models import Prediction, Submission


class PredictionInline(admin.TabularInline[Prediction, Submission]):
    model = Prediction
    fk_name = "submission"
    extra = 0
    can_delete = False
    fields = ("created_at", "label", "scores", "model_version", "latency_ms")
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
    list_display = ("submission", "label", "model_version", "latency_ms", "created_at")
    list_filter = ("label", "model_version", "created_at")
    search_fields = ("submission__text", "submission__user__email", "model_version")
    date_hierarchy = "created_at"
    list_select_related = ("submission",)
    readonly_fields = ("submission", "label", "scores", "model_version", "latency_ms", "created_at")
