"""The staff page for model versions: metrics, gate decisions, retraining and rollback."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest

from .champion import champion_resolve
from .models import ModelVersion, RetrainingRun
from .selectors import (
    model_version_list,
    model_versions_with_shadow,
    pending_corrections_count,
    retraining_run_active,
    retraining_run_list,
    shadow_agreement,
)
from .services import champion_set, model_versions_sync, retraining_request
from .shadow import ShadowRefused, challenger_gate, shadow_share_set

LABELS = ("soutenu", "neutre", "familier")


@require_GET
@permission_required("learning.view_modelversion", raise_exception=True)
def model_versions(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not ModelVersion.objects.exists():
        model_versions_sync()  # a fresh portal: mirror what `make models` registered
    champion_resolve()  # the champion the jobs serve, even if the alias moved outside the portal
    versions = list(model_version_list())
    shadowed = model_versions_with_shadow()
    rows = [
        {
            "version": v,
            "frozen": v.metrics.get("frozen") or v.metrics.get("test", {}),
            "corrections": v.metrics.get("corrections", {}),
            "f1": [v.f1(label) for label in LABELS],
            "shadow": shadow_agreement(version=v) if v.pk in shadowed else None,
            "shadow_percent": round(v.shadow_share * 100),
        }
        for v in versions
    ]
    return render(
        request,
        "learning/model_versions.html",
        {
            "rows": rows,
            "shadow_rows": any(row["shadow"] for row in rows),
            "live_min_reviewed": settings.PARLURE_GATE_LIVE_MIN_REVIEWED,
            "labels": LABELS,
            "runs": retraining_run_list(),
            "active_run": retraining_run_active(),
            "pending_corrections": pending_corrections_count(),
        },
    )


@require_POST
@permission_required("learning.add_retrainingrun", raise_exception=True)
def retraining_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    _run, created = retraining_request(
        requested_by=request.user, trigger=RetrainingRun.Trigger.MANUAL
    )
    if created:
        messages.success(request, _("Retraining queued. This page shows its result when done."))
    else:
        messages.info(request, _("A retraining is already waiting; it will include your request."))
    return redirect("learning:model_versions")


@require_POST
@permission_required("learning.change_modelversion", raise_exception=True)
def champion_make(request: AuthenticatedHttpRequest, version: str) -> HttpResponse:
    target = get_object_or_404(ModelVersion, version=version)
    champion_set(version=target.version, acting_user=request.user)
    messages.success(
        request,
        _("Version %(version)s is now the champion; workers use it from their next job.")
        % {"version": target.version},
    )
    return redirect("learning:model_versions")


class ShadowShareForm(forms.Form):
    percent = forms.IntegerField(min_value=0, max_value=100)


@require_POST
@permission_required("learning.change_modelversion", raise_exception=True)
def shadow_share_change(request: AuthenticatedHttpRequest, version: str) -> HttpResponse:
    target = get_object_or_404(ModelVersion, version=version)
    form = ShadowShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The shadow share is a whole percentage from 0 to 100."))
        return redirect("learning:model_versions")
    percent = form.cleaned_data["percent"]
    try:
        shadow_share_set(version=target.version, share=percent / 100, acting_user=request.user)
    except ShadowRefused:
        messages.error(request, _("The champion cannot run in shadow."))
        return redirect("learning:model_versions")
    if percent:
        messages.success(
            request,
            _("Version %(version)s now scores %(percent)s %% of live texts in shadow.")
            % {"version": target.version, "percent": percent},
        )
    else:
        messages.success(
            request,
            _("Version %(version)s no longer runs in shadow.") % {"version": target.version},
        )
    return redirect("learning:model_versions")


@require_POST
@permission_required("learning.change_modelversion", raise_exception=True)
def challenger_gate_run(request: AuthenticatedHttpRequest, version: str) -> HttpResponse:
    target = get_object_or_404(ModelVersion, version=version, is_champion=False)
    target, promoted = challenger_gate(version=target.version, acting_user=request.user)
    if promoted:
        messages.success(
            request,
            _("Version %(version)s passed the gate and is now the champion.")
            % {"version": target.version},
        )
    else:
        messages.info(
            request,
            _("Version %(version)s stays a challenger: %(reason)s")
            % {"version": target.version, "reason": target.gate_reason},
        )
    return redirect("learning:model_versions")
