"""API for micro projects, their activities, indicators and measurements.

Thin: serializers check the shape of the input, services (`microprojects.services`) apply the
rules and write, selectors (`microprojects.selectors`) decide what one may see (404 otherwise) and
load lists in a fixed number of queries. `RulesPermission` maps each write to a `rules`
permission (403 when one may see but not change).
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.utils.urls import replace_query_param

from sempre.api_support import CountInPageQueryPagination, RulesPermission, validation_error_detail
from sempre.models import Organisation
from sempre.rules import is_org_staff
from sempre.selectors import organisations_visible_to

from . import selectors, services
from .filters import ActivityFilter, IndicatorFilter, MeasurementFilter, ProjectFilter
from .models import Activity, Indicator, Measurement, MicroProject, TargetGroup

# Serializers -------------------------------------------------------------------------------------


class TargetGroupSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = TargetGroup
        fields = ["id", "slug", "name"]

    def get_name(self, group) -> str:
        return str(group)


class VisibleOrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation id; only organisations one belongs to (coordinators: all) are accepted."""

    def get_queryset(self):
        return organisations_visible_to(self.context["request"].user)


class ColleagueField(serializers.PrimaryKeyRelatedField):
    """A user id; only people who share an organisation with the requesting user are accepted."""

    def get_queryset(self):
        return selectors.colleagues_of(self.context["request"].user)


class ProjectSerializer(CountryFieldMixin, serializers.ModelSerializer):
    organisation = VisibleOrganisationField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Needed only by people in several organisations; otherwise their own one."),
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    target_groups = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=TargetGroup.objects.all()
    )
    lead_social_workers = ColleagueField(many=True, required=False, queryset=get_user_model().objects.all())
    allowed_transitions = serializers.SerializerMethodField()
    activity_count = serializers.IntegerField(read_only=True)
    participant_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = MicroProject
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "title",
            "summary",
            "problem",
            "country",
            "region",
            "setting",
            "target_groups",
            "status",
            "allowed_transitions",
            "start_date",
            "end_date",
            "budget_eur",
            "lead_social_workers",
            "activity_count",
            "participant_total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]
        extra_kwargs = {"country": {"required": False}}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, project) -> list[str]:
        """The statuses the requesting user may move the project to (an organisation admin may
        make a completed or discontinued project active again)."""
        request = self.context.get("request")
        if request is None:
            return list(project.allowed_transitions)
        return [str(status) for status in services.project_transitions_for(project, request.user)]


class ProjectUpdateSerializer(ProjectSerializer):
    """As a project, but its organisation stays, and its status changes only by a transition."""

    class Meta(ProjectSerializer.Meta):
        read_only_fields = ["organisation", "status", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        fields["organisation"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def validate(self, attrs):
        errors = {}
        if "status" in self.initial_data:
            errors["status"] = _("Change the status with POST /api/v1/projects/{id}/transition/.")
        if "organisation" in self.initial_data and str(self.initial_data["organisation"]) != str(
            self.instance.organisation_id
        ):
            errors["organisation"] = _("A project cannot move to another organisation.")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MicroProject.Status.choices)


class HistoryUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


# An entry of selectors.project_history, as the project page shows it (a comment, not a docstring:
# drf-spectacular would put a docstring into the public schema).
class ProjectHistorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateTimeField()
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    user = HistoryUserSerializer(allow_null=True)
    changes = HistoryChangeSerializer(many=True)


class ProjectHistoryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The older page; null after the oldest entry.")
    results = ProjectHistorySerializer(many=True)


class ProjectHistoryQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(
        required=False, min_value=1, help_text="Entries older than the one with this id (from `next`)."
    )
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=25)
    page = serializers.CharField(required=False, help_text="Not used: the history is paged with `before`.")

    def validate_page(self, value):
        raise serializers.ValidationError(
            _("Page through the history with ?before=, as its “next” link does.")
        )


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


# The batch of entries a device sends when it is online again (POST /api/v1/sync/) ----------------

# Entries per batch at most: a device with more sends them in several batches.
SYNC_MAX_ENTRIES = 100
# SQL queries an entry costs at most, whatever the batch holds (tests/microprojects/api/test_sync.py):
# its project or indicator, its client_uuid, the user and constraint checks, the savepoints and the
# INSERT (a measurement's history row too).
SYNC_QUERIES_PER_ENTRY = 9


class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    """A project id; a project one may not see is "does not exist", as any other unknown id."""

    def get_queryset(self):
        return selectors.projects_visible_to(self.context["request"].user)


class RecordableIndicatorField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.indicators_to_record(self.context["request"].user)


class SyncActivitySerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=["activity"])
    client_uuid = serializers.UUIDField(help_text=CLIENT_UUID_HELP.format(parent="project"))
    project = VisibleProjectField(queryset=MicroProject.objects.none())
    confirm = serializers.BooleanField(write_only=True, default=False, help_text=CONFIRM_HELP)

    class Meta:
        model = Activity
        fields = [
            "type",
            "client_uuid",
            "project",
            "date",
            "kind",
            "title",
            "notes",
            "staff_hours",
            "volunteer_hours",
            *Activity.COUNT_FIELDS,
            "confirm",
        ]


class SyncMeasurementSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=["measurement"])
    client_uuid = serializers.UUIDField(help_text=CLIENT_UUID_HELP.format(parent="indicator"))
    indicator = RecordableIndicatorField(queryset=Indicator.objects.none())

    class Meta:
        model = Measurement
        fields = ["type", "client_uuid", "indicator", "date", "value", "note"]


SYNC_SERIALIZERS = {"activity": SyncActivitySerializer, "measurement": SyncMeasurementSerializer}


class SyncSerializer(serializers.Serializer):
    # Each entry is read on its own (SyncViewSet._entry), so that one bad entry refuses itself only.
    entries = serializers.ListField(child=serializers.JSONField(), max_length=SYNC_MAX_ENTRIES)


class SyncSchemaSerializer(serializers.Serializer):
    """The request as the schema tells it: a list of activities and measurements by `type`."""

    entries = PolymorphicProxySerializer(
        component_name="SyncEntry",
        serializers=SYNC_SERIALIZERS,
        resource_type_field_name="type",
        many=True,
    )

    class Meta:
        ref_name = "SyncRequest"


class SyncResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The entry's place in `entries`, from 0.")
    type = serializers.CharField(allow_null=True)
    client_uuid = serializers.UUIDField(allow_null=True, help_text="As sent; null if it was not a UUID.")
    status = serializers.ChoiceField(
        choices=["stored", "already_stored", "refused"],
        help_text="stored: stored now; already_stored: stored by an earlier send of the same "
        "client_uuid (nothing changed); refused: nothing stored, see `errors`.",
    )
    id = serializers.IntegerField(allow_null=True, help_text="The stored activity's or measurement's id.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        allow_null=True,
        help_text="Why the entry was refused, by field, as a 400 answer of the single endpoint would say.",
    )

    needs_confirmation = serializers.BooleanField(
        help_text="True when the only errors are figures unusual for one activity: send the entry "
        "again with confirm: true if they are right."
    )


class SyncResultsSerializer(serializers.Serializer):
    results = SyncResultSerializer(many=True)


# Viewsets ----------------------------------------------------------------------------------------


class TargetGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The groups of people micro projects work with."""

    serializer_class = TargetGroupSerializer
    permission_classes = [RulesPermission]
    lookup_value_converter = "int"
    filterset_fields = ["slug"]
    search_fields = ["name", "slug"]
    ordering_fields = ["order", "name"]

    def get_queryset(self):
        return selectors.target_groups_list()


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Micro projects one may see: one's organisation's (coordinators: all; reviewers: none)."""

    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": is_org_staff,
        "partial_update": "microprojects.change_microproject",
        "transition": "microprojects.change_microproject",
        "destroy": "microprojects.delete_microproject",
    }
    lookup_value_converter = "int"
    filterset_class = ProjectFilter
    # The counts make this a GROUP BY query, for which Django drops Meta.ordering: name it here.
    ordering = ["-created_at", "-id"]
    search_fields = ["title", "summary", "problem", "region", "organisation__name"]
    ordering_fields = [
        "title",
        "status",
        "country",
        "start_date",
        "end_date",
        "budget_eur",
        "created_at",
        "updated_at",
        "activity_count",
        "participant_total",
    ]

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return selectors.project_list(self.request.user)
        # Writes and the history need the project alone, not its counts and relations.
        return selectors.projects_visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ProjectUpdateSerializer
        if self.action == "transition":
            return TransitionSerializer
        if self.action == "history":
            return ProjectHistorySerializer
        return ProjectSerializer

    def _respond(self, project, status_code=status.HTTP_200_OK):
        project = selectors.project_list(self.request.user).get(pk=project.pk)
        return Response(
            ProjectSerializer(project, context=self.get_serializer_context()).data, status=status_code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.project_create(by=request.user, **serializer.validated_data)
        return self._respond(project, status.HTTP_201_CREATED)

    @extend_schema(responses=ProjectSerializer)
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        serializer = self.get_serializer(project, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.project_update(project=project, by=request.user, **serializer.validated_data)
        return self._respond(project)

    def destroy(self, request, *args, **kwargs):
        services.project_delete(project=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=TransitionSerializer,
        responses=ProjectSerializer,
        description="Move the project to another status; a move that is not allowed answers 400 "
        "naming the allowed ones under `status`.",
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, *args, **kwargs):
        project = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.project_transition(
            project=project, by=request.user, status=serializer.validated_data["status"]
        )
        return self._respond(project)

    @extend_schema(
        parameters=[ProjectHistoryQuerySerializer],
        responses=ProjectHistoryPageSerializer,
        description="Who changed what, and when, newest first, a page at a time: follow `next` "
        "(`?before=<id>`) until it is null. A page may hold fewer than `page_size` entries while "
        "`next` is not null.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        project = self.get_object()
        query = ProjectHistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = selectors.project_history_page(
            project, before=query.validated_data.get("before"), size=query.validated_data["page_size"]
        )
        following = None
        if page.next_before is not None:
            following = replace_query_param(request.build_absolute_uri(), "before", page.next_before)
        return Response(
            {"next": following, "results": ProjectHistorySerializer(page.entries, many=True).data}
        )


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


class SyncViewSet(viewsets.GenericViewSet):
    """Entries made on a device while it was offline, sent together (docs/offline.md)."""

    permission_classes = [RulesPermission]
    rules_permissions = {"create": is_org_staff}
    serializer_class = SyncSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        request=SyncSchemaSerializer,
        responses={200: SyncResultsSerializer},
        description=(
            f"Up to {SYNC_MAX_ENTRIES} activities and measurements made on a device, each with its "
            "client_uuid, answered one result per entry in the order sent: stored, already_stored (the same "
            "client_uuid was stored before: nothing changes) or refused (nothing of that entry "
            "is stored; `errors` by field, as the single endpoints' 400 would say). Each entry "
            "is stored or refused on its own: one refused entry does not hold back the others, "
            "and a batch cut off halfway can be sent again whole. An entry takes at most "
            f"{SYNC_QUERIES_PER_ENTRY} SQL queries, whatever the batch holds."
        ),
    )
    def create(self, request, *args, **kwargs):
        batch = SyncSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        return Response(
            {"results": [self._entry(i, raw) for i, raw in enumerate(batch.validated_data["entries"])]}
        )

    def _entry(self, index, raw) -> dict:
        raw = raw if isinstance(raw, dict) else {}
        kind = raw.get("type")
        result = {
            "index": index,
            "type": kind,
            "client_uuid": _uuid_or_none(raw.get("client_uuid")),
            "status": "refused",
            "id": None,
            "errors": None,
            "needs_confirmation": False,
        }
        if serializer_class := SYNC_SERIALIZERS.get(kind if isinstance(kind, str) else None):
            serializer = serializer_class(data=raw, context=self.get_serializer_context())
            if serializer.is_valid():
                return result | self._store(kind, dict(serializer.validated_data))
            result["errors"] = serializer.errors
        else:
            result["type"] = None
            result["errors"] = {"type": [_("Say what the entry is: “activity” or “measurement”.")]}
        return result

    def _store(self, kind, data) -> dict:
        del data["type"]
        parent = "project" if kind == "activity" else "indicator"
        try:
            if kind == "activity":
                row, is_new = services.activity_log_once(
                    project=data.pop("project"), by=self.request.user, **data
                )
            else:
                row, is_new = services.measurement_record_once(
                    indicator=data.pop("indicator"), by=self.request.user, **data
                )
        except DjangoValidationError as error:
            codes = {e.code for field_errors in error.error_dict.values() for e in field_errors}
            return {"errors": validation_error_detail(error), "needs_confirmation": codes == {"unusual"}}
        except PermissionDenied as error:
            return {"errors": {parent: [str(error)]}}
        return {"status": "stored" if is_new else "already_stored", "id": row.pk}


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# Path converters rather than regular expressions: ids are integers in the URLs and the schema.
router = SimpleRouter(use_regex_path=False)
router.register("target-groups", TargetGroupViewSet, basename="target-group")
router.register("projects", ProjectViewSet, basename="project")
router.register("projects/<int:project_pk>/activities", ProjectActivityViewSet, basename="project-activity")
router.register("projects/<int:project_pk>/indicators", ProjectIndicatorViewSet, basename="project-indicator")
router.register(
    "indicators/<int:indicator_pk>/measurements",
    IndicatorMeasurementViewSet,
    basename="indicator-measurement",
)
router.register("activities", ActivityViewSet, basename="activity")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("sync", SyncViewSet, basename="sync")

urlpatterns = router.urls
