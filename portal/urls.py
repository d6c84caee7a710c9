from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views import defaults

from annotation.views import home
from common.rest import errors as api_errors
from learning.urls import api_urlpatterns as learning_api
from monitoring.views import metrics
from portal.health import healthz

urlpatterns = [
    path("", home, name="home"),
    path("compte/", include("accounts.urls")),
    path("soumissions/", include("annotation.urls")),
    path("corpus/", include("corpora.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("relecture/", include("review.urls")),
    path("suivi/", include("monitoring.urls")),
    path("metrics", metrics, name="metrics"),
    path("modeles/", include("learning.urls")),
    path("api/v1/", include("api.urls")),
    path("api/v1/", include((learning_api, "learning_api"))),
]


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The API answers in its own error format, pages with the portal's 404 page.
    if api_errors.is_api_request(request):
        return api_errors.not_found(request)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.server_error(request)
    return defaults.server_error(request)
