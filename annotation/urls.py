from django.urls import path

from . import views

app_name = "annotation"
urlpatterns = [
    path("", views.submission_list, name="submission_list"),
    path("nouvelle/", views.submission_new, name="submission_new"),
    path("audio/", views.submission_new_audio, name="submission_new_audio"),
    path("<uuid:public_id>/", views.submission_detail, name="submission_detail"),
    path("<uuid:public_id>/resultat/", views.submission_result, name="submission_result"),
    path("<uuid:public_id>/supprimer/", views.submission_remove, name="submission_remove"),
    path("<uuid:public_id>/annuler/", views.submission_cancel_view, name="submission_cancel"),
    path("<uuid:public_id>/audio/", views.submission_audio, name="submission_audio"),
    path("<uuid:public_id>/valider/", views.transcript_validate_view, name="transcript_validate"),
    path("<uuid:public_id>/historique/", views.transcript_history, name="transcript_history"),
    path(
        "<uuid:public_id>/historique/<int:version>/defaire/",
        views.transcript_revision_revert_view,
        name="transcript_revision_revert",
    ),
    path(
        "<uuid:public_id>/locuteurs/",
        views.transcript_speaker_rename_view,
        name="transcript_speaker_rename",
    ),
    path(
        "<uuid:public_id>/segments/<int:index>/locuteur/",
        views.segment_speaker_view,
        name="segment_speaker",
    ),
    path("<uuid:public_id>/remplacer/", views.transcript_replace, name="transcript_replace"),
    path(
        "<uuid:public_id>/export.<str:fmt>", views.transcript_export_view, name="transcript_export"
    ),
]
