from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("profil/", views.profile, name="profile"),
    path("profil/cles/", views.api_key_create, name="api_key_create"),
    path("profil/cles/<int:token_id>/revoquer/", views.api_key_revoke, name="api_key_revoke"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    # Log out, password change and reset, with the templates in templates/registration/.
    path("", include("django.contrib.auth.urls")),
]
