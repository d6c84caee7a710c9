from django.urls import path

from . import api, views

app_name = "learning"

urlpatterns = [
    path("", views.model_versions, name="model_versions"),
    path("reentrainer/", views.retraining_start, name="retraining_start"),
    path("<str:version>/champion/", views.champion_make, name="champion_make"),
    path("<str:version>/ombre/", views.shadow_share_change, name="shadow_share_change"),
    path("<str:version>/porte/", views.challenger_gate_run, name="challenger_gate_run"),
]

api_urlpatterns = [
    path("retraining/", api.RetrainingListView.as_view(), name="api_retraining_list"),
    path("retraining/<int:pk>/", api.RetrainingDetailView.as_view(), name="api_retraining"),
    path("models/", api.ModelVersionListView.as_view(), name="api_model_versions"),
    path("models/<str:version>/champion/", api.ChampionView.as_view(), name="api_champion"),
    path("models/<str:version>/shadow/", api.ShadowView.as_view(), name="api_shadow"),
    path("models/<str:version>/gate/", api.GateView.as_view(), name="api_gate"),
]
