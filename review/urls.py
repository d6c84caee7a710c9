from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("retours/<uuid:public_id>/", views.feedback_create, name="feedback_create"),
    path("elements/<int:item_id>/jugement/", views.judgement_create, name="judgement_create"),
    path("elements/<int:item_id>/audio/", views.review_item_audio, name="item_audio"),
    path("corrections/", views.corrections_page, name="corrections"),
    path("corrections/instantane/", views.correction_set_create_view, name="correction_set_create"),
    path(
        "corrections/v<int:version>.<str:fmt>",
        views.correction_set_download,
        name="correction_set_download",
    ),
]
