"""Target groups, projects, their status and their history."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from sempre.api_support import RulesPermission
from sempre.models import Organisation
from sempre.rules import is_org_staff
from sempre.selectors import organisations_visible_to

from .. import selectors, services
from ..filters import ProjectFilter
from ..models import MicroProject, TargetGroup


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
