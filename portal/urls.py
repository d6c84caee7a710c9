from django.contrib import admin
from django.urls import include, path

from annotation.views import home
from portal.health import healthz

urlpatterns = [
    path("", home, name="home"),
    path("compte/", include("accounts.urls")),
    path("soumissions/", include("annotation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
