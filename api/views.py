"""The API's documentation readers, served with local assets only."""

from drf_spectacular.views import SpectacularRedocView


class RedocView(SpectacularRedocView):
    # drf-spectacular's page fetches Google Fonts; ours uses the system's fonts instead.
    template_name = "api/redoc.html"
