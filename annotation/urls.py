from django.urls import path

from . import views

app_name = "annotation"
urlpatterns = [
    path("", views.submission_list, name="submission_list"),
    path("nouvelle/", views.submission_new, name="submission_new"),
    path("<uuid:public_id>/", views.submission_detail, name="submission_detail"),
    path("<uuid:public_id>/etat/", views.submission_status, name="submission_status"),
    path("<uuid:public_id>/supprimer/", views.submission_remove, name="submission_remove"),
]
