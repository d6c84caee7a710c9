from django.urls import path

from . import views

app_name = "corpora"
urlpatterns = [
    path("", views.corpus_list, name="corpus_list"),
    path("soumissions/actions/", views.submissions_bulk, name="submissions_bulk"),
    path("<uuid:public_id>/", views.corpus_detail, name="corpus_detail"),
    path("<uuid:public_id>/modifier/", views.corpus_edit, name="corpus_edit"),
    path("<uuid:public_id>/supprimer/", views.corpus_delete_view, name="corpus_delete"),
    path(
        "<uuid:public_id>/export.<str:file_format>",
        views.corpus_export_view,
        name="corpus_export",
    ),
    path("<uuid:public_id>/remplacer/", views.corpus_replace, name="corpus_replace"),
    path("<uuid:public_id>/membres/", views.corpus_member_add_view, name="corpus_member_add"),
    path(
        "<uuid:public_id>/membres/<int:member_id>/role/",
        views.corpus_member_role_view,
        name="corpus_member_role",
    ),
    path(
        "<uuid:public_id>/membres/<int:member_id>/retirer/",
        views.corpus_member_remove_view,
        name="corpus_member_remove",
    ),
    path("<uuid:public_id>/textes/", views.corpus_text_add, name="corpus_text_add"),
    path(
        "<uuid:public_id>/soumissions/",
        views.corpus_submissions_add_view,
        name="corpus_submissions_add",
    ),
    path(
        "<uuid:public_id>/soumissions/<uuid:submission_id>/retirer/",
        views.corpus_submission_remove_view,
        name="corpus_submission_remove",
    ),
    path("<uuid:public_id>/imports/", views.corpus_import_new, name="corpus_import_new"),
    path(
        "<uuid:public_id>/imports/etat/", views.corpus_imports_status, name="corpus_imports_status"
    ),
    path(
        "<uuid:public_id>/imports/<uuid:import_id>/",
        views.corpus_import_detail,
        name="corpus_import_detail",
    ),
    path(
        "<uuid:public_id>/imports/<uuid:import_id>/etat/",
        views.corpus_import_status,
        name="corpus_import_status",
    ),
]
