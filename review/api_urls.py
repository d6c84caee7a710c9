"""This app's endpoints under /api/v1/ (included by api/urls.py, namespace "api")."""

from django.urls import URLPattern, path

from .api import BulkJudgementView, FeedbackListView, JudgementCreateView

urlpatterns: list[URLPattern] = [
    path("feedback/", FeedbackListView.as_view(), name="feedback-list"),
    path(
        "review/items/<int:item_id>/judgement/",
        JudgementCreateView.as_view(),
        name="review-item-judgement",
    ),
    path("review/judgements/", BulkJudgementView.as_view(), name="review-judgements"),
]
