"""/api/v1/: every app's endpoints, the OpenAPI schema, and its two readers (Swagger UI, ReDoc)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from accounts import api_urls as accounts_api
from annotation import api_urls as annotation_api
from corpora import api_urls as corpora_api
from review import api_urls as review_api

from .views import RedocView, SwaggerView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="swagger"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    *accounts_api.urlpatterns,
    *annotation_api.urlpatterns,
    *review_api.urlpatterns,
    *corpora_api.urlpatterns,
]
