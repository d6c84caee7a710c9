"""This app's endpoints under /api/v1/ (included by api/urls.py, namespace "api")."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("me/", api.MeView.as_view(), name="me"),
    path("tokens/", api.TokenListView.as_view(), name="token_list"),
    path("tokens/<int:pk>/", api.TokenDetailView.as_view(), name="token_detail"),
]
