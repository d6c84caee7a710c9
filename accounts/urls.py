from django.urls import include, path

from . import views

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("profil/", views.profile, name="profile"),
    # Log in, log out, password change and reset, with the templates in templates/registration/.
    path("", include("django.contrib.auth.urls")),
]
