from django.urls import include, path

from . import views

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("profil/", views.profile, name="profile"),
    path("profil/cles/", views.api_key_create, name="api_key_create"),
    path("profil/cles/<int:token_id>/revoquer/", views.api_key_revoke, name="api_key_revoke"),
    # Log in, log out, password change and reset, with the templates in templates/registration/.
    path("", include("django.contrib.auth.urls")),
]
