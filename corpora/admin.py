"""Corpora in the admin site: to look into them (members, imports and their problems).

Corpora, members and imports are made and changed in the portal, whose services check the roles
and record who did what; here they are read-only. Administrators may still delete a corpus
(moderation), which deletes its submissions like the owner's deletion does.
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Corpus, CorpusMember, ImportBatch


class CorpusMemberInline(admin.TabularInline[CorpusMember, Corpus]):
    model = CorpusMember
    extra = 0
    can_delete = False
    fields = ("user", "role", "added_by", "added_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Corpus | None = None) -> bool:
        return False


@admin.register(Corpus)
class CorpusAdmin(admin.ModelAdmin[Corpus]):
    list_display = ("name", "owner", "member_count", "submission_count", "created_at")
    list_filter = ("created_at",)
    search_fields = ("name", "description", "owner__email", "public_id")
    date_hierarchy = "created_at"
    list_select_related = ("owner",)
    fields = ("public_id", "name", "description", "owner", "created_at", "updated_at")
    readonly_fields = fields
    inlines = [CorpusMemberInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Corpus]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                members_total=Count("members", distinct=True),
                submissions_total=Count("submissions", distinct=True),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # corpora are made in the portal, by their owner

    @admin.display(description=_("members"), ordering="members_total")
    def member_count(self, obj: Corpus) -> int:
        return int(getattr(obj, "members_total", 0))

    @admin.display(description=_("submissions"), ordering="submissions_total")
    def submission_count(self, obj: Corpus) -> int:
        return int(getattr(obj, "submissions_total", 0))


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = (
        "__str__",
        "created_by",
        "format",
        "items_read",
        "items_accepted",
        "items_rejected",
        "created_at",
    )
    list_filter = ("format", "created_at")
    search_fields = ("file_name", "corpus__name", "created_by__email", "public_id")
    date_hierarchy = "created_at"
    list_select_related = ("corpus", "created_by")
    fields = (
        "public_id",
        "corpus",
        "created_by",
        "file_name",
        "format",
        "items_read",
        "items_accepted",
        "items_rejected",
        "problems",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # imports come from the portal and the API, which read the file
