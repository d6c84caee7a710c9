"""Every change to corpora, their members and their imports goes through here.

One import line per module, one ``__all__`` entry per name, so that modules can be added without
touching each other's lines.
"""

from .corpora import (
    corpus_create,
    corpus_delete,
    corpus_member_add,
    corpus_member_remove,
    corpus_member_set_role,
    corpus_submission_remove,
    corpus_submissions_add,
    corpus_update,
)
from .imports import import_create

__all__ = [
    "corpus_create",
    "corpus_delete",
    "corpus_member_add",
    "corpus_member_remove",
    "corpus_member_set_role",
    "corpus_submission_remove",
    "corpus_submissions_add",
    "corpus_update",
    "import_create",
]
