from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from annotation.views import home
from common.rest import errors as api_errors
from learning.urls import api_urlpatterns as learning_api
from monitoring.views import metrics
from portal.health import healthz, readyz


def favicon(request: HttpRequest) -> HttpResponse:
    # Looked up per request: production's static manifest exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


admin.site.site_header = _("Parlure administration")
admin.site.site_title = "Parlure"
admin.site.index_title = _("Parlure administration")

urlpatterns = [
    path("", home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; the icon is an SVG.
    path("favicon.ico", favicon),
    path("compte/", include("accounts.urls")),
    path("soumissions/", include("annotation.urls")),
    path("corpus/", include("corpora.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("readyz/", readyz, name="readyz"),
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
