"""Snapshot endpoints: freeze a tool (`/tools/{id}/snapshots/`), read one (`/snapshots/{id}/`), and
what changed since (`/tools/{id}/diff/`)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..selectors import snapshots_of, snapshots_visible_to, tool_diff
from .common import ToolElementsMixin, nested_schema
from .serializers import SnapshotDetailSerializer, SnapshotSerializer


class SnapshotToolActions(ToolElementsMixin):
    """A tool's snapshots and diffs, as part of the tool's viewset."""

    @nested_schema(SnapshotSerializer, created=SnapshotDetailSerializer, versioned_write=False)
    @action(detail=True, methods=["get", "post"], serializer_class=SnapshotSerializer)
    def snapshots(self, request, pk=None):
        instance = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(snapshots_of(instance))
            return self.get_paginated_response(SnapshotSerializer(page, many=True).data)
        serializer = SnapshotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        snapshot = services.snapshot_create(
            instance=instance, by=request.user, note=serializer.validated_data.get("note", "")
        )
        return Response(SnapshotDetailSerializer(snapshot).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description=_("Snapshot number (default: the newest)")),
            OpenApiParameter("to", str, description=_("Snapshot number or “now” (default)")),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True)
    def diff(self, request, pk=None):
        instance = self.get_object()
        return Response(tool_diff(instance, request.query_params.get("from"), request.query_params.get("to")))


class SnapshotViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SnapshotDetailSerializer

    def get_queryset(self):
        return snapshots_visible_to(self.request.user)
