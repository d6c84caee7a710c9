"""Sharing a corpus: the owner adds people by e-mail, changes their role, removes them; a member
may leave."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from corpora.access import Can, corpus_get
from corpora.forms import MemberAddForm, MemberRoleForm
from corpora.selectors import corpus_member_get
from corpora.services.corpora import (
    corpus_member_add,
    corpus_member_remove,
    corpus_member_set_role,
)

from .context import corpus_detail_context, corpus_url

MEMBERS_ANCHOR = "#members"


@login_required
@require_POST
def corpus_member_add_view(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.MANAGE)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            member = corpus_member_add(
                corpus=corpus,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(email)s was added as %(role)s.")
                % {"email": member.user.email, "role": member.get_role_display()},
            )
            return redirect(corpus_url(corpus.public_id, MEMBERS_ANCHOR))
    context = corpus_detail_context(request, corpus, member_form=form)
    return render(request, "corpora/corpus_detail.html", context, status=400)


@login_required
@require_POST
def corpus_member_role_view(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, member_id: int
) -> HttpResponse:
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.MANAGE)
    member = corpus_member_get(corpus=corpus, member_id=member_id)
    form = MemberRoleForm(request.POST, prefix=f"m{member.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a role: viewer, annotator or reviewer."))
        return redirect(corpus_url(corpus.public_id, MEMBERS_ANCHOR))
    corpus_member_set_role(member=member, role=form.cleaned_data["role"], acting_user=request.user)
    messages.success(
        request,
        _("%(email)s is now %(role)s.")
        % {"email": member.user.email, "role": member.get_role_display()},
    )
    return redirect(corpus_url(corpus.public_id, MEMBERS_ANCHOR))


@login_required
@require_POST
def corpus_member_remove_view(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, member_id: int
) -> HttpResponse:
    """The owner removes someone, or a member leaves (then the corpus is gone from their list)."""
    corpus = corpus_get(user=request.user, public_id=public_id, can=Can.VIEW)
    member = corpus_member_get(corpus=corpus, member_id=member_id)
    corpus_member_remove(member=member, acting_user=request.user)
    if member.user_id == request.user.pk:
        messages.success(request, _("You left the corpus %(name)s.") % {"name": corpus.name})
        return redirect("corpora:corpus_list")
    messages.success(request, _("%(email)s was removed.") % {"email": member.user.email})
    return redirect(corpus_url(corpus.public_id, MEMBERS_ANCHOR))
