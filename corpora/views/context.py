"""What the corpus page shows, given the forms to show (fresh ones, or one with errors)."""

import uuid
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from annotation.forms import SubmissionFilterForm, TextSubmissionForm
from annotation.selectors import SubmissionFilters, submissions_uncertain_shares
from corpora.access import OWNER, ROLE_CAN, Can, corpus_role
from corpora.exports import EXPORT_FORMATS
from corpora.forms import (
    CorpusForm,
    ImportForm,
    MemberAddForm,
    MemberRoleForm,
    SubmissionsAddForm,
    import_limits,
)
from corpora.models import Corpus, CorpusMember
from corpora.selectors import (
    batch_list_for_corpus,
    batch_progress,
    corpus_member_list,
    corpus_submission_list,
)

# The text form shares the page: the import form's element ids must differ (its names do not).
IMPORT_FORM_IDS = "id_import_%s"
# Imports listed on the corpus page; the rest are one click away in the API.
IMPORTS_SHOWN = 10
# Problems listed per import on the corpus page; the import's own page lists them all.
PROBLEMS_SHOWN = 5


def role_label(role: str | None) -> str:
    if role == OWNER:
        return _("owner")
    return str(CorpusMember.Role(role).label) if role else ""


def imports_context(*, corpus: Corpus) -> dict[str, Any]:
    """The imports section: each recent import with its progress and first problems."""
    batches = list(batch_list_for_corpus(corpus=corpus)[:IMPORTS_SHOWN])
    rows: list[dict[str, Any]] = [
        {"batch": b, "progress": batch_progress(batch=b)} for b in batches
    ]
    return {
        "corpus": corpus,
        "imports": rows,
        "imports_finished": all(row["progress"]["finished"] for row in rows),
        "problems_shown": PROBLEMS_SHOWN,
    }


def corpus_detail_context(
    request: AuthenticatedHttpRequest, corpus: Corpus, **forms: Any
) -> dict[str, Any]:
    user = request.user
    role = corpus_role(user=user, corpus=corpus)
    allowed = ROLE_CAN[role] if role else frozenset()
    can_annotate = Can.ANNOTATE in allowed
    can_manage = Can.MANAGE in allowed
    # The search box and filters of the corpus's submissions (no corpus filter: this one).
    filter_form = SubmissionFilterForm(
        {key: value for key, value in request.GET.items() if key != "page"} or None,
        user=user,
        with_corpus=False,
    )
    filters: SubmissionFilters = filter_form.filters() if filter_form.is_valid() else {}
    page = Paginator(
        corpus_submission_list(corpus=corpus, filters=filters),
        settings.PARLURE_SUBMISSIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    # Each recording's share of words to check, for the page's rows in one query.
    shares = submissions_uncertain_shares(submissions=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    members = list(corpus_member_list(corpus=corpus))
    context: dict[str, Any] = {
        "corpus": corpus,
        "role": role,
        "role_label": role_label(role),
        "can_annotate": can_annotate,
        "can_manage": can_manage,
        "members": [
            {"member": m, "role_form": MemberRoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")}
            for m in members
        ],
        "my_membership": next((m for m in members if m.user_id == user.pk), None),
        "page": page,
        "submission_rows": [(s, shares.get(s.pk)) for s in page.object_list],
        "filter_form": filter_form,
        "submission_total": corpus.submissions.count(),
        "query": query.urlencode(),
        "bulk_next": request.get_full_path()
        if request.method == "GET"
        else corpus_url(corpus.public_id),
        "export_links": [
            (fmt.upper(), reverse("corpora:corpus_export", args=[corpus.public_id, fmt]))
            for fmt in EXPORT_FORMATS
        ],
        # The same with each sentence's deciding words (computed first for imported texts).
        "explained_export_links": [
            (
                fmt.upper(),
                reverse("corpora:corpus_export", args=[corpus.public_id, fmt]) + "?explain=1",
            )
            for fmt in EXPORT_FORMATS
        ],
        "limits": import_limits(),
        **imports_context(corpus=corpus),
    }
    if can_annotate:
        token = uuid.uuid4()
        context["text_form"] = forms.get("text_form") or TextSubmissionForm(
            initial={"client_token": token}
        )
        context["import_form"] = forms.get("import_form") or ImportForm(
            initial={"client_token": token}, auto_id=IMPORT_FORM_IDS
        )
        context["add_form"] = forms.get("add_form") or SubmissionsAddForm(user=user)
    if can_manage:
        context["member_form"] = forms.get("member_form") or MemberAddForm()
        context["edit_form"] = forms.get("edit_form") or CorpusForm(
            initial={
                "name": corpus.name,
                "description": corpus.description,
                "vocabulary": corpus.vocabulary,
            }
        )
    return context


def corpus_url(public_id: uuid.UUID, anchor: str = "") -> str:
    return reverse("corpora:corpus_detail", args=[public_id]) + anchor
