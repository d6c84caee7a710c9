from django.contrib import admin
from django.urls import include, path

from annotation.views import home
from learning.urls import api_urlpatterns as learning_api
from monitoring.views import metrics
from portal.health import healthz

urlpatterns = [
    path("", home, name="home"),
    path("compte/", include("accounts.urls")),
    path("soumissions/", include("annotation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("relecture/", include("review.urls")),
    path("suivi/", include("monitoring.urls")),
    path("metrics", metrics, name="metrics"),
    path("modeles/", include("learning.urls")),
    path("api/v1/", include((learning_api, "learning_api"))),
]
