"""Staff API: model versions, the champion (promote or roll back) and retraining runs."""

from django.shortcuts import get_object_or_404
from rest_framework import status
from rest_framework.permissions import DjangoModelPermissions, IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User

from .models import ModelVersion, RetrainingRun
from .selectors import model_version_list, retraining_run_list
from .serializers import ModelVersionSerializer, RetrainingRunSerializer
from .services import champion_set, retraining_request


class StaffModelPermissions(DjangoModelPermissions):
    """Staff only, and reading needs the view permission too."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class ChangePermissions(StaffModelPermissions):
    """POST changes an existing row (the champion alias), so it needs the change permission."""

    perms_map = {**StaffModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class RetrainingListView(APIView):
    permission_classes = [IsAdminUser, StaffModelPermissions]
    queryset = RetrainingRun.objects.all()

    def get(self, request: Request) -> Response:
        return Response(RetrainingRunSerializer(retraining_run_list(50), many=True).data)

    def post(self, request: Request) -> Response:
        """Queue a retraining (202); if one is already waiting, return it (200)."""
        user = request.user if isinstance(request.user, User) else None
        run, created = retraining_request(requested_by=user, trigger=RetrainingRun.Trigger.API)
        code = status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK
        return Response(RetrainingRunSerializer(run).data, status=code)


class RetrainingDetailView(APIView):
    permission_classes = [IsAdminUser, StaffModelPermissions]
    queryset = RetrainingRun.objects.all()

    def get(self, request: Request, pk: int) -> Response:
        return Response(RetrainingRunSerializer(get_object_or_404(RetrainingRun, pk=pk)).data)


class ModelVersionListView(APIView):
    permission_classes = [IsAdminUser, StaffModelPermissions]
    queryset = ModelVersion.objects.all()

    def get(self, request: Request) -> Response:
        return Response(ModelVersionSerializer(model_version_list(), many=True).data)


class ChampionView(APIView):
    """POST makes this version the champion: a promotion by hand or a rollback."""

    permission_classes = [IsAdminUser, ChangePermissions]
    queryset = ModelVersion.objects.all()

    def post(self, request: Request, version: str) -> Response:
        get_object_or_404(ModelVersion, version=version)
        user = request.user if isinstance(request.user, User) else None
        target = champion_set(version=version, acting_user=user)
        return Response(ModelVersionSerializer(target).data)
