"""Activities, indicators and measurements: in a project, and across the projects one may see."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from sempre.api_support import CountInPageQueryPagination, RulesPermission

from .. import selectors, services
from ..filters import ActivityFilter, IndicatorFilter, MeasurementFilter
from ..models import Activity, Indicator, Measurement

CLIENT_UUID_HELP = (
    "Made by the device that made the entry (a UUID, e.g. crypto.randomUUID()), so that sending it "
    "again never stores it twice: the same client_uuid again answers the entry already stored (200, "
    "the same id), even when both sends arrive at once. A client_uuid that is another entry's "
    "(someone else's, or another {parent}'s) is refused with 400 under client_uuid. Kept when the "
    "entry is corrected later (PATCH does not change it)."
)
CONFIRM_HELP = (
    "Confirms figures that are unusual for one activity (more than 500 participants, "
    "more than 40 staff or volunteer hours); without it they are refused (400, code unusual) "
    "and with it saved with unusual_confirmed."
)


class ClientUuidMixin:
    """`client_uuid` is written when an entry is made and read-only afterwards."""

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["client_uuid"] = serializers.UUIDField(read_only=True, allow_null=True)
        return fields


class ActivitySerializer(ClientUuidMixin, serializers.ModelSerializer):
    # `project_title` is annotated by the selectors (activities_visible_to, project_activities),
    # so a list needs no project objects.
    project_title = serializers.CharField(read_only=True)
    confirm = serializers.BooleanField(write_only=True, default=False, help_text=CONFIRM_HELP)
    client_uuid = serializers.UUIDField(
        required=False, allow_null=True, help_text=CLIENT_UUID_HELP.format(parent="project")
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "project",
            "project_title",
            "date",
            "kind",
            "title",
            "notes",
            "staff_hours",
            "volunteer_hours",
            *Activity.COUNT_FIELDS,
            "unusual_confirmed",
            "confirm",
            "client_uuid",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["project", "unusual_confirmed", "created_by", "created_at", "updated_at"]


class IndicatorSerializer(serializers.ModelSerializer):
    latest_value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    latest_date = serializers.DateField(read_only=True, allow_null=True)
    measurement_count = serializers.IntegerField(read_only=True)
    progress = serializers.DecimalField(
        max_digits=20,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text=_("Per cent of the way from baseline to target, by the latest measurement."),
    )
    is_off_track = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "project",
            "name",
            "code",
            "unit",
            "baseline",
            "target",
            "target_date",
            "direction",
            "latest_value",
            "latest_date",
            "measurement_count",
            "progress",
            "is_off_track",
            "created_at",
        ]
        read_only_fields = ["project", "created_at"]

    def get_is_off_track(self, indicator) -> bool:
        return selectors.indicator_is_off_track(indicator)


class MeasurementSerializer(ClientUuidMixin, serializers.ModelSerializer):
    client_uuid = serializers.UUIDField(
        required=False, allow_null=True, help_text=CLIENT_UUID_HELP.format(parent="indicator")
    )

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "date", "value", "note", "client_uuid", "created_by", "created_at"]
        read_only_fields = ["indicator", "created_by", "created_at"]


class ProjectChildViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Base for /projects/{project_pk}/<things>/: list one project's things and add one."""

    permission_classes = [RulesPermission]

    def get_project(self):
        if not hasattr(self, "_project"):
            self._project = get_object_or_404(
                selectors.projects_visible_to(self.request.user), pk=self.kwargs["project_pk"]
            )
        return self._project

    def get_rules_object(self, project):
        return project

    def create(self, request, *args, **kwargs):
        project = self.get_project()
        self.check_object_permissions(request, project)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created, is_new = self.perform_service(project, serializer.validated_data)
        output = self.get_serializer(self.get_queryset().get(pk=created.pk))
        return Response(output.data, status=status.HTTP_201_CREATED if is_new else status.HTTP_200_OK)


class ProjectActivityViewSet(ProjectChildViewSet):
    """A project's activities, newest first; POST logs one."""

    serializer_class = ActivitySerializer
    rules_permissions = {"create": "microprojects.log_activity"}
    pagination_class = CountInPageQueryPagination  # a project's activities are few and plain rows
    filterset_class = ActivityFilter
    ordering = ["-date", "-id"]
    search_fields = ["title", "notes"]
    ordering_fields = ["date", "participants_total", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Activity.objects.none()
        # The project's visibility and title come with the rows: a page is one query.
        return selectors.project_activities(self.request.user, self.kwargs["project_pk"])

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if not response.data["results"]:
            self.get_project()  # no rows: an empty project, or one the user may not see (404)
        return response

    @extend_schema(
        responses={201: ActivitySerializer, 200: ActivitySerializer},
        description="Log an activity: 201. With a client_uuid that was sent before, the activity "
        "already stored: 200, the same id, nothing changed.",
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_service(self, project, data):
        return services.activity_log_once(
            project=project, by=self.request.user, **{"client_uuid": None, **data}
        )


class ProjectIndicatorViewSet(ProjectChildViewSet):
    """A project's indicators with their latest value and progress; POST adds one."""

    serializer_class = IndicatorSerializer
    rules_permissions = {"create": "microprojects.manage_indicators"}
    filterset_class = IndicatorFilter
    ordering = ["project_id", "name", "id"]
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code", "target_date", "progress", "latest_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Indicator.objects.none()
        return selectors.indicators_visible_to(self.request.user).filter(project=self.get_project())

    def perform_service(self, project, data):
        return services.indicator_create(project=project, by=self.request.user, **data), True


class IndicatorMeasurementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """An indicator's measurements, newest first; POST records one."""

    serializer_class = MeasurementSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {"create": "microprojects.manage_indicators"}
    filterset_class = MeasurementFilter
    ordering = ["-date", "-id"]
    ordering_fields = ["date", "value", "created_at"]

    def get_indicator(self):
        if not hasattr(self, "_indicator"):
            self._indicator = get_object_or_404(
                selectors.indicators_visible_to(self.request.user), pk=self.kwargs["indicator_pk"]
            )
        return self._indicator

    def get_rules_object(self, indicator):
        return indicator.project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Measurement.objects.none()
        return selectors.measurements_visible_to(self.request.user).filter(indicator=self.get_indicator())

    @extend_schema(
        responses={201: MeasurementSerializer, 200: MeasurementSerializer},
        description="Record a measurement: 201. With a client_uuid that was sent before, the "
        "measurement already stored: 200, the same id, nothing changed.",
    )
    def create(self, request, *args, **kwargs):
        indicator = self.get_indicator()
        self.check_object_permissions(request, indicator)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        measurement, is_new = services.measurement_record_once(
            indicator=indicator, by=request.user, **{"client_uuid": None, **serializer.validated_data}
        )
        return Response(
            self.get_serializer(measurement).data,
            status=status.HTTP_201_CREATED if is_new else status.HTTP_200_OK,
        )


class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Activities of every project one may see; filter with ?project=&date_after=&date_before=."""

    serializer_class = ActivitySerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "partial_update": "microprojects.log_activity",
        "destroy": "microprojects.log_activity",
    }
    lookup_value_converter = "int"
    filterset_class = ActivityFilter
    ordering = ["-date", "-id"]
    search_fields = ["title", "notes", "project__title"]
    ordering_fields = ["date", "participants_total", "created_at"]

    def get_queryset(self):
        return selectors.activities_visible_to(self.request.user)

    def get_rules_object(self, activity):
        return activity.project

    def partial_update(self, request, *args, **kwargs):
        activity = self.get_object()
        serializer = self.get_serializer(activity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        activity = services.activity_update(activity=activity, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(activity).data)

    def destroy(self, request, *args, **kwargs):
        services.activity_delete(activity=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Indicators of every project one may see, with their latest value and progress."""

    serializer_class = IndicatorSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "partial_update": "microprojects.manage_indicators",
        "destroy": "microprojects.manage_indicators",
    }
    lookup_value_converter = "int"
    filterset_class = IndicatorFilter
    ordering = ["project_id", "name", "id"]
    search_fields = ["name", "code", "project__title"]
    ordering_fields = ["name", "code", "target_date", "progress", "latest_date"]

    def get_queryset(self):
        return selectors.indicators_visible_to(self.request.user)

    def get_rules_object(self, indicator):
        return indicator.project

    def partial_update(self, request, *args, **kwargs):
        indicator = self.get_object()
        serializer = self.get_serializer(indicator, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.indicator_update(indicator=indicator, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=indicator.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.indicator_delete(indicator=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeasurementViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One measurement; PATCH corrects it (its earlier values stay in its history), DELETE removes it.
    The indicator's latest value and progress follow."""

    serializer_class = MeasurementSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "partial_update": "microprojects.manage_indicators",
        "destroy": "microprojects.manage_indicators",
    }
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.measurements_visible_to(self.request.user).select_related("indicator__project")

    def get_rules_object(self, measurement):
        return measurement.indicator.project

    def partial_update(self, request, *args, **kwargs):
        measurement = self.get_object()
        serializer = self.get_serializer(measurement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        measurement = services.measurement_update(
            measurement=measurement, by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(measurement).data)

    def destroy(self, request, *args, **kwargs):
        services.measurement_delete(measurement=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
