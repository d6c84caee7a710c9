"""Staff API: model versions, the champion (promote or roll back) and retraining runs."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import DjangoModelPermissions, IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import request_user

from .champion import champion_resolve
from .models import ModelVersion, RetrainingRun
from .selectors import model_version_list, retraining_run_list
from .serializers import ModelVersionSerializer, RetrainingRunSerializer, ShadowShareSerializer
from .services import champion_set, retraining_request
from .shadow import ShadowRefused, challenger_gate, shadow_share_set

TAG = "models"

MODEL_VERSION_EXAMPLE = {
    "version": "3",
    "name": "register-2025-03-14",
    "is_champion": True,
    "gate_decision": "promoted",
    "gate_reason": "macro-F1 0.84 ≥ champion 0.81 on the frozen test split.",
    "metrics": {"frozen": {"macro_f1": 0.84, "f1": {"soutenu": 0.86, "neutre": 0.8}}},
    "created_at": "2025-03-14T09:40:12Z",
    "promoted_at": "2025-03-14T09:40:13Z",
    "shadow_share": 0.0,
}
RUN_EXAMPLE = {
    "id": 7,
    "status": "done",
    "trigger": "api",
    "requested_by": "admin@example.org",
    "corrections_version": 4,
    "corrections_count": 128,
    "mlflow_run_id": "5f0c2e9b8a7d4c3e9f1a2b3c4d5e6f70",
    "model_version": MODEL_VERSION_EXAMPLE,
    "promoted": True,
    "reason": "macro-F1 0.84 ≥ champion 0.81 on the frozen test split.",
    "created_at": "2025-03-14T09:26:53Z",
    "started_at": "2025-03-14T09:27:01Z",
    "finished_at": "2025-03-14T09:40:13Z",
    "duration_s": 792.4,
}
QUEUED_RUN_EXAMPLE = {
    **RUN_EXAMPLE,
    "status": "queued",
    "corrections_version": None,
    "corrections_count": 0,
    "mlflow_run_id": "",
    "model_version": None,
    "promoted": None,
    "reason": "",
    "started_at": None,
    "finished_at": None,
    "duration_s": None,
}


# The path parameter of every endpoint about one version.
VERSION_PARAMETER = OpenApiParameter(
    "version",
    str,
    OpenApiParameter.PATH,
    description="The registry version, as in the list.",
    examples=[OpenApiExample("Version 3", value="3")],
)


class StaffModelPermissions(DjangoModelPermissions):
    """Staff only, and reading needs the view permission too."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class ChangePermissions(StaffModelPermissions):
    """POST changes an existing row (the champion alias), so it needs the change permission."""

    perms_map = {**StaffModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


@extend_schema_view(
    get=extend_schema(
        operation_id="retraining_list",
        summary="List retraining runs",
        description=(
            "Retraining runs of the register model, newest first: who or what asked for them, "
            "the corrections they trained on, the version they registered and the gate's "
            "decision. Staff with the view permission on retraining runs."
        ),
        tags=[TAG],
        examples=[OpenApiExample("A finished run", value=RUN_EXAMPLE, response_only=True)],
    ),
    post=extend_schema(
        operation_id="retraining_create",
        summary="Start a retraining",
        description=(
            "Queues a retraining on the accepted corrections so far (202). If one is already "
            "waiting, nothing new is queued and that run is returned (200): a second request "
            "joins it. The new version becomes the champion only if it passes the gate. Staff "
            "with the add permission on retraining runs."
        ),
        tags=[TAG],
        request=None,
        responses={
            202: OpenApiResponse(RetrainingRunSerializer, description="Queued."),
            200: OpenApiResponse(RetrainingRunSerializer, description="One was already waiting."),
        },
        examples=[
            OpenApiExample(
                "Queued",
                value=QUEUED_RUN_EXAMPLE,
                response_only=True,
                status_codes=["202", "200"],
            )
        ],
    ),
)
class RetrainingListView(generics.ListAPIView[RetrainingRun]):
    permission_classes = [IsAdminUser, StaffModelPermissions]
    serializer_class = RetrainingRunSerializer
    queryset = RetrainingRun.objects.none()  # the model, for permissions and the schema

    def get_queryset(self) -> QuerySet[RetrainingRun]:
        return retraining_run_list(limit=None)

    def post(self, request: Request) -> Response:
        run, created = retraining_request(
            requested_by=request_user(request), trigger=RetrainingRun.Trigger.API
        )
        code = status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK
        return Response(RetrainingRunSerializer(run).data, status=code)


@extend_schema_view(
    get=extend_schema(
        operation_id="retraining_retrieve",
        summary="One retraining run",
        description=(
            "A retraining run by its id: poll it after starting one to see it run, then its "
            "result (status done or failed, the gate's reason, the version it registered)."
        ),
        tags=[TAG],
        examples=[OpenApiExample("A finished run", value=RUN_EXAMPLE, response_only=True)],
    )
)
class RetrainingDetailView(generics.RetrieveAPIView[RetrainingRun]):
    permission_classes = [IsAdminUser, StaffModelPermissions]
    serializer_class = RetrainingRunSerializer
    queryset = RetrainingRun.objects.select_related("model_version", "requested_by")


@extend_schema_view(
    get=extend_schema(
        operation_id="models_list",
        summary="List model versions",
        description=(
            "Every registered version of the register model, newest first, with its metrics on "
            "the frozen test split and on recent corrections, the gate's decision and whether it "
            "is the champion (the version workers serve). Staff with the view permission on "
            "model versions."
        ),
        tags=[TAG],
        examples=[OpenApiExample("The champion", value=MODEL_VERSION_EXAMPLE, response_only=True)],
    )
)
class ModelVersionListView(generics.ListAPIView[ModelVersion]):
    permission_classes = [IsAdminUser, StaffModelPermissions]
    serializer_class = ModelVersionSerializer
    queryset = ModelVersion.objects.none()  # the model, for permissions and the schema

    def get_queryset(self) -> QuerySet[ModelVersion]:
        champion_resolve()  # mirror the alias if it moved outside the portal (make train)
        return model_version_list()


class ChampionView(generics.GenericAPIView[ModelVersion]):
    permission_classes = [IsAdminUser, ChangePermissions]
    serializer_class = ModelVersionSerializer
    queryset = ModelVersion.objects.all()

    @extend_schema(
        operation_id="models_champion_create",
        summary="Make a version the champion",
        description=(
            "Makes this registered version the champion: a promotion by hand (a challenger the "
            "gate kept back) or a rollback to an earlier version. Workers serve it from their "
            "next job, without a restart. Staff with the change permission on model versions."
        ),
        tags=[TAG],
        request=None,
        parameters=[VERSION_PARAMETER],
        responses={200: ModelVersionSerializer},
        examples=[
            OpenApiExample("The new champion", value=MODEL_VERSION_EXAMPLE, response_only=True)
        ],
    )
    def post(self, request: Request, version: str) -> Response:
        get_object_or_404(ModelVersion, version=version)
        target = champion_set(version=version, acting_user=request_user(request))
        return Response(ModelVersionSerializer(target).data)


class ShadowView(generics.GenericAPIView[ModelVersion]):
    permission_classes = [IsAdminUser, ChangePermissions]
    serializer_class = ModelVersionSerializer  # the response; the request is ShadowShareSerializer
    queryset = ModelVersion.objects.all()

    @extend_schema(
        operation_id="models_shadow_create",
        summary="Run a challenger in shadow",
        description=(
            "Sets the share of live predictions (0 to 1) this challenger also scores in shadow, "
            "after the champion has answered; 0 turns it off. Its answers are stored apart and "
            "never shown to users; the models page shows its agreement with the champion and "
            "with the reviewers. One challenger at a time: setting a share turns the others "
            "off. The champion cannot run in shadow (400). Staff with the change permission on "
            "model versions."
        ),
        tags=[TAG],
        request=ShadowShareSerializer,
        parameters=[VERSION_PARAMETER],
        responses={200: ModelVersionSerializer},
        examples=[OpenApiExample("A quarter of live texts", value={"share": 0.25})],
    )
    def post(self, request: Request, version: str) -> Response:
        get_object_or_404(ModelVersion, version=version)
        serializer = ShadowShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            target = shadow_share_set(
                version=version,
                share=serializer.validated_data["share"],
                acting_user=request_user(request),
            )
        except ShadowRefused as refused:
            raise ValidationError(
                {"share": [_("The champion cannot run in shadow.")]}, code=str(refused)
            ) from refused
        return Response(ModelVersionSerializer(target).data)


class GateView(generics.GenericAPIView[ModelVersion]):
    permission_classes = [IsAdminUser, ChangePermissions]
    serializer_class = ModelVersionSerializer
    queryset = ModelVersion.objects.all()

    @extend_schema(
        operation_id="models_gate_create",
        summary="Run the gate again for a challenger",
        description=(
            "Runs the promotion gate for this challenger: its figures on the frozen set against "
            "the champion's and, once reviewers decided at least PARLURE_GATE_LIVE_MIN_REVIEWED "
            "of the live texts it scored in shadow, its accuracy on them against the "
            "champion's on the same texts. It becomes the champion if the gate agrees. The "
            "version's gate_decision and gate_reason record the outcome and which evidence the "
            "gate used. The champion itself: 404. Staff with the change permission on model "
            "versions."
        ),
        tags=[TAG],
        request=None,
        parameters=[VERSION_PARAMETER],
        responses={200: ModelVersionSerializer},
    )
    def post(self, request: Request, version: str) -> Response:
        get_object_or_404(ModelVersion, version=version, is_champion=False)
        target, _promoted = challenger_gate(version=version, acting_user=request_user(request))
        return Response(ModelVersionSerializer(target).data)
