"""This app's endpoints under /api/v1/ (included by api/urls.py, namespace "api")."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("corpora/", api.CorpusListView.as_view(), name="corpus_list"),
    path("corpora/<uuid:public_id>/", api.CorpusDetailView.as_view(), name="corpus_detail"),
    path(
        "corpora/<uuid:public_id>/members/", api.MemberListView.as_view(), name="corpus_member_list"
    ),
    path(
        "corpora/<uuid:public_id>/members/<int:member_id>/",
        api.MemberDetailView.as_view(),
        name="corpus_member_detail",
    ),
    path(
        "corpora/<uuid:public_id>/submissions/",
        api.CorpusSubmissionsView.as_view(),
        name="corpus_submissions",
    ),
    path(
        "corpora/<uuid:public_id>/submissions/<uuid:submission_id>/",
        api.CorpusSubmissionDetailView.as_view(),
        name="corpus_submission_detail",
    ),
    path(
        "corpora/<uuid:public_id>/imports/", api.ImportListView.as_view(), name="corpus_import_list"
    ),
    path(
        "corpora/<uuid:public_id>/imports/<uuid:import_id>/",
        api.ImportDetailView.as_view(),
        name="corpus_import_detail",
    ),
    path(
        "corpora/<uuid:public_id>/transcripts/replace/",
        api.CorpusReplaceView.as_view(),
        name="corpus_transcripts_replace",
    ),
    path("corpora/<uuid:public_id>/export/", api.CorpusExportView.as_view(), name="corpus_export"),
]
