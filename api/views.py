"""The API's documentation readers, served with local assets only."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

# Both readers style their pages from script (ReDoc with styled-components, Swagger UI inline);
# ReDoc also runs a worker from a blob. Their scripts still come from files only.
readers_csp = method_decorator(
    csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}), name="dispatch"
)


@readers_csp
class RedocView(SpectacularRedocView):
    # drf-spectacular's page fetches Google Fonts; ours uses the system's fonts instead.
    template_name = "api/redoc.html"


@readers_csp
class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with its set-up script served as a file, not inline."""
