from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from annotation.selectors import submission_counts_for_user

from .forms import ProfileForm, SignUpForm
from .http import AuthenticatedHttpRequest
from .roles import ROLE_LABELS
from .services import user_create, user_roles, user_update_profile


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


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            user_update_profile(user=user, display_name=form.cleaned_data["display_name"])
            messages.success(request, _("Your profile was saved."))
            return redirect("profile")
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    context = {
        "form": form,
        "roles": [ROLE_LABELS[role] for role in user_roles(user=user)],
        "counts": submission_counts_for_user(user=user),
    }
    return render(request, "accounts/profile.html", context)
