from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User

from .models import CorrectionSet, Feedback, Judgement, ReviewItem
from .services import judgement_record


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin[Feedback]):
    list_display = ("created_at", "user", "kind", "suggested_label", "prediction", "sentence_index")
    list_filter = ("kind", "suggested_label", "created_at")
    search_fields = ("comment", "user__email", "prediction__submission__text")
    date_hierarchy = "created_at"
    list_select_related = ("user", "prediction")
    # What a person said stays as they said it; feedback comes from the result page.
    readonly_fields = (
        "user",
        "prediction",
        "sentence_index",
        "kind",
        "suggested_label",
        "comment",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class JudgementInline(admin.TabularInline[Judgement, ReviewItem]):
    model = Judgement
    extra = 0
    can_delete = False
    fields = ("reviewer", "decision", "label", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: ReviewItem | None = None) -> bool:
        return False  # judgements go through the actions below (or the review page)


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin[ReviewItem]):
    list_display = (
        "short_text",
        "reason",
        "status",
        "model_label",
        "final_label",
        "created_at",
        "decided_at",
    )
    list_filter = ("status", "reason", "model_label", "final_label", "created_at", "decided_at")
    search_fields = ("text", "prediction__submission__user__email")
    date_hierarchy = "created_at"
    readonly_fields = (
        "prediction",
        "sentence_index",
        "reason",
        "status",
        "text",
        "model_label",
        "final_label",
        "created_at",
        "decided_at",
    )
    inlines = [JudgementInline]
    actions = ["accept_selected", "reject_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # items come from feedback and uncertain predictions

    @admin.display(description=_("text"))
    def short_text(self, obj: ReviewItem) -> str:
        return Truncator(obj.text).chars(80)

    def _judge(self, request: HttpRequest, queryset: QuerySet[ReviewItem], decision: str) -> None:
        assert isinstance(request.user, User)
        for item in queryset:
            judgement_record(item=item, reviewer=request.user, decision=decision)
        count = queryset.count()
        message = ngettext("%(count)s item judged.", "%(count)s items judged.", count)
        self.message_user(request, message % {"count": count})

    @admin.action(description=_("Accept the selected items (as me)"), permissions=["change"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[ReviewItem]) -> None:
        self._judge(request, queryset, Judgement.Decision.ACCEPT)

    @admin.action(description=_("Reject the selected items (as me)"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[ReviewItem]) -> None:
        self._judge(request, queryset, Judgement.Decision.REJECT)


@admin.register(CorrectionSet)
class CorrectionSetAdmin(admin.ModelAdmin[CorrectionSet]):
    list_display = ("version", "count", "sha256", "created_by", "created_at")
    list_filter = ("created_at",)
    search_fields = ("sha256", "created_by__email")
    list_select_related = ("created_by",)
    readonly_fields = ("version", "sha256", "count", "rows", "created_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # snapshots are taken on the corrections page (or by a retraining)

    def has_change_permission(self, request: HttpRequest, obj: CorrectionSet | None = None) -> bool:
        return False  # a snapshot is frozen: its hash says so
