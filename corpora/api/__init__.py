"""The API's corpus endpoints: corpora, their members, their submissions, imports and exports.

Every handler fetches the corpus with ``corpora.access.corpus_get`` and the ability it needs, so
someone else's corpus is a 404 and a role that does not allow the action is a 403.
"""

from .corpora import CorpusDetailView, CorpusListView
from .exports import CorpusExportView
from .imports import ImportDetailView, ImportListView
from .members import MemberDetailView, MemberListView
from .replace import CorpusReplaceView
from .submissions import CorpusSubmissionDetailView, CorpusSubmissionsView

__all__ = [
    "CorpusDetailView",
    "CorpusExportView",
    "CorpusListView",
    "CorpusReplaceView",
    "CorpusSubmissionDetailView",
    "CorpusSubmissionsView",
    "ImportDetailView",
    "ImportListView",
    "MemberDetailView",
    "MemberListView",
]
