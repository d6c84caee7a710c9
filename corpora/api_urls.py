"""This app's endpoints under /api/v1/ (included by api/urls.py, namespace "api")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
