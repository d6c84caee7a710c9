from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from annotation.selectors import submission_counts_for_user

from .forms import ApiKeyForm, ProfileForm, SignUpForm
from .http import AuthenticatedHttpRequest
from .roles import ROLE_LABELS
from .selectors import api_token_get_for_user, api_token_list_for_user
from .services import (
    API_TOKENS_MAX,
    api_token_create,
    api_token_revoke,
    user_create,
    user_roles,
    user_update_profile,
)

# The session holds a new key only between the POST that made it and the page that shows it.
NEW_KEY_SESSION = "accounts.new_api_key"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("annotation:submission_new")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data.get("display_name", ""),
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Parlure! Your account is ready."))
            return redirect("annotation:submission_new")
        return render(request, "registration/signup.html", {"form": form}, status=400)
    return render(request, "registration/signup.html", {"form": form})


def _profile_page(
    request: AuthenticatedHttpRequest,
    *,
    form: ProfileForm | None = None,
    key_form: ApiKeyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    # Shown once: taken out of the session by the page that displays it.
    new_key = request.session.pop(NEW_KEY_SESSION, None)
    context: dict[str, Any] = {
        "form": form or ProfileForm(instance=user),
        "key_form": key_form or ApiKeyForm(),
        "roles": [ROLE_LABELS[role] for role in user_roles(user=user)],
        "counts": submission_counts_for_user(user=user),
        "api_keys": api_token_list_for_user(user=user),
        "api_keys_max": API_TOKENS_MAX,
        "new_key": new_key,
    }
    response = render(request, "accounts/profile.html", context, status=status)
    if new_key:
        # Neither the browser's cache nor a proxy may keep the page that holds a key.
        add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user_update_profile(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                vocabulary=form.cleaned_data["vocabulary"],
            )
            messages.success(request, _("Your profile was saved."))
            return redirect("profile")
        return _profile_page(request, form=form, status=400)
    return _profile_page(request)


@login_required
@require_POST
def api_key_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    key_form = ApiKeyForm(request.POST)
    key_form.is_valid()  # only reads the name: api_token_create holds the rules
    try:
        token, key = api_token_create(user=request.user, name=key_form.cleaned_data["name"])
    except ValidationError as error:
        key_form.add_error(None, error)
        return _profile_page(request, key_form=key_form, status=400)
    request.session[NEW_KEY_SESSION] = {"id": token.pk, "name": token.name, "key": key}
    return redirect(reverse("profile") + "#new-api-key")


@login_required
@require_POST
def api_key_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = api_token_get_for_user(user=request.user, token_id=token_id)
    api_token_revoke(token=token, acting_user=request.user)
    messages.success(
        request,
        _("The key “%(name)s” was revoked: programs that send it are refused from now on.")
        % {"name": token.name},
    )
    return redirect(reverse("profile") + "#api-keys")
