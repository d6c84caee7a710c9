from .bulk import submissions_bulk
from .content import corpus_submission_remove_view, corpus_submissions_add_view, corpus_text_add
from .corpora import (
    corpus_delete_view,
    corpus_detail,
    corpus_edit,
    corpus_export_view,
    corpus_list,
)
from .imports import (
    corpus_import_detail,
    corpus_import_new,
    corpus_import_status,
    corpus_imports_status,
)
from .members import corpus_member_add_view, corpus_member_remove_view, corpus_member_role_view
from .replace import corpus_replace

__all__ = [
    "corpus_delete_view",
    "corpus_detail",
    "corpus_edit",
    "corpus_export_view",
    "corpus_import_detail",
    "corpus_import_new",
    "corpus_import_status",
    "corpus_imports_status",
    "corpus_list",
    "corpus_member_add_view",
    "corpus_member_remove_view",
    "corpus_member_role_view",
    "corpus_replace",
    "corpus_submission_remove_view",
    "corpus_submissions_add_view",
    "corpus_text_add",
    "submissions_bulk",
]
