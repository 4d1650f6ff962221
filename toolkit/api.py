"""API: serializers and viewsets (thin; they call services).

Optimistic concurrency: every tool response carries `ETag: "<version>"`; writes send it back as
`If-Match` (or a "version" field in the body). Changing or deleting something without it answers
428; a stale version answers 409 with the tool's current state, so nobody loses an update silently.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from microprojects.models import Indicator
from microprojects.selectors import projects_visible_to

from . import services
from .export import blank_pdf, tool_pdf
from .models import (
    Assumption,
    Block,
    CausalLink,
    Entry,
    Intervention,
    Outcome,
    Snapshot,
    ToolInstance,
    ToolTemplate,
)
from .selectors import snapshots_of, templates_available, tool_detail, tool_diff, tool_list, with_content
from .services import UNSET, VersionConflict, parse_version
from .validation import completeness, findings


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _("Send the tool version you last saw as an If-Match header (or a “version” field).")
    default_code = "precondition_required"


class PDFRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


# Serializers --------------------------------------------------------------------------------------


class BlockSerializer(serializers.ModelSerializer):
    class Meta:
        model = Block
        fields = [
            "key",
            "order",
            "label",
            "guiding_question",
            "plain_question",
            "column",
            "row",
            "column_span",
            "row_span",
            "translations",
        ]


class ToolTemplateSerializer(serializers.ModelSerializer):
    blocks = BlockSerializer(many=True, read_only=True)

    class Meta:
        model = ToolTemplate
        fields = [
            "slug",
            "version",
            "name",
            "description",
            "kind",
            "licence",
            "attribution",
            "layout_columns",
            "layout_rows",
            "blocks",
        ]


class VisibleIndicatorField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Indicator.objects.filter(project__in=projects_visible_to(self.context["request"].user))


class VisibleInterventionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        user = self.context["request"].user
        return Intervention.objects.filter(instance__project__in=projects_visible_to(user)).select_related(
            "instance"
        )


class ToolOutcomeField(serializers.PrimaryKeyRelatedField):
    """Outcomes of the tool being written to (context["instance"])."""

    def get_queryset(self):
        return Outcome.objects.filter(instance=self.context["instance"])


class ToolLinkField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return CausalLink.objects.filter(instance=self.context["instance"])


class EntrySerializer(serializers.ModelSerializer):
    indicator = VisibleIndicatorField(required=False, allow_null=True)
    intervention = VisibleInterventionField(required=False, allow_null=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "block_key",
            "text",
            "order",
            "source",
            "client_label",
            "language",
            "author",
            "indicator",
            "intervention",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["order", "author", "created_at", "updated_at"]


class OutcomeSerializer(serializers.ModelSerializer):
    indicators = VisibleIndicatorField(many=True, required=False)
    above_ceiling = serializers.BooleanField(required=False, allow_null=True, default=None)

    class Meta:
        model = Outcome
        fields = ["id", "text", "level", "above_ceiling", "indicators", "order"]
        read_only_fields = ["order"]


class LinkSerializer(serializers.ModelSerializer):
    source = ToolOutcomeField()
    target = ToolOutcomeField()

    class Meta:
        model = CausalLink
        fields = ["id", "source", "target", "rationale", "kind"]


class InterventionSerializer(serializers.ModelSerializer):
    outcomes = ToolOutcomeField(many=True, required=False)

    class Meta:
        model = Intervention
        fields = ["id", "text", "outputs", "outcomes", "order"]
        read_only_fields = ["order"]


class AssumptionSerializer(serializers.ModelSerializer):
    link = ToolLinkField(required=False, allow_null=True)
    outcome = ToolOutcomeField(required=False, allow_null=True)

    class Meta:
        model = Assumption
        fields = ["id", "text", "link", "outcome", "status"]


class ToolSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="slug", queryset=ToolTemplate.objects.all())

    class Meta:
        model = ToolInstance
        fields = ["id", "project", "template", "title", "status", "version", "created_at", "updated_at"]
        read_only_fields = ["project", "status", "version", "created_at", "updated_at"]


class ToolUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    status = serializers.ChoiceField(choices=ToolInstance.Status.choices, required=False)
    version = serializers.IntegerField(required=False)


class ToolDetailSerializer(ToolSerializer):
    """A tool with its content: entries for a canvas, the graph for a Theory of Change."""

    completeness = serializers.SerializerMethodField()
    validation = serializers.SerializerMethodField()
    entries = serializers.SerializerMethodField()
    graph = serializers.SerializerMethodField()

    class Meta(ToolSerializer.Meta):
        fields = [*ToolSerializer.Meta.fields, "completeness", "validation", "entries", "graph"]

    def get_completeness(self, instance) -> dict:
        return completeness(instance).as_dict()

    def get_validation(self, instance) -> list[dict]:
        return [finding.as_dict() for finding in findings(instance)]

    def get_entries(self, instance) -> list[dict] | None:
        if instance.template.is_graph:
            return None
        return EntrySerializer(instance.entries.all(), many=True, context=self.context).data

    def get_graph(self, instance) -> dict | None:
        if not instance.template.is_graph:
            return None
        return {
            "outcomes": OutcomeSerializer(instance.outcomes.all(), many=True, context=self.context).data,
            "links": LinkSerializer(instance.links.all(), many=True, context=self.context).data,
            "interventions": InterventionSerializer(
                instance.interventions.all(), many=True, context=self.context
            ).data,
            "assumptions": AssumptionSerializer(
                instance.assumptions.all(), many=True, context=self.context
            ).data,
        }


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Snapshot
        fields = ["id", "number", "note", "instance_version", "created_by", "created_at"]
        read_only_fields = ["number", "instance_version", "created_by", "created_at"]


class SnapshotDetailSerializer(SnapshotSerializer):
    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "data"]


# Versioning plumbing ------------------------------------------------------------------------------


def etag(instance: ToolInstance) -> str:
    return f'"{instance.version}"'


class VersionedMixin:
    """Reads If-Match / "version", answers VersionConflict with 409 and the current state.

    Every write first checks that the user may change the tool (as soon as the object is looked
    up), so a coordinator, who may read tools but not change them, gets 403 before any check of
    the body or the version (which would otherwise answer 400/428 first)."""

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in permissions.SAFE_METHODS:
            tool = obj if isinstance(obj, ToolInstance) else obj.instance
            if not request.user.has_perm("toolkit.change_toolinstance", tool):
                raise exceptions.PermissionDenied(_("You may look at this tool but not change it."))

    def expected_version(self, *, required: bool):
        header = self.request.headers.get("If-Match", "")
        body = self.request.data.get("version") if hasattr(self.request.data, "get") else None
        value = header or body
        if value in (None, "") and required:
            raise PreconditionRequired()
        return parse_version(value)

    def handle_exception(self, exc):
        if isinstance(exc, VersionConflict):
            current = (
                with_content(ToolInstance.objects.filter(pk=exc.instance.pk)).select_related("template").get()
            )
            response = Response(
                {
                    "detail": str(exc),
                    "current_version": current.version,
                    "current": ToolDetailSerializer(current, context=self.get_serializer_context()).data,
                },
                status=status.HTTP_409_CONFLICT,
                headers={"ETag": etag(current)},
            )
            response.exception = True
            return response
        return super().handle_exception(exc)

    def versioned(self, data, instance: ToolInstance, status_code=status.HTTP_200_OK) -> Response:
        instance.refresh_from_db(fields=["version"])
        return Response(data, status=status_code, headers={"ETag": etag(instance)})


# Views --------------------------------------------------------------------------------------------


class ToolTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """The tools one can start: canvases and the Theory of Change, with their blocks."""

    serializer_class = ToolTemplateSerializer
    lookup_field = "slug"
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return templates_available()

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def blank(self, request, slug=None):
        template = self.get_object()
        response = HttpResponse(blank_pdf(template), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{template.slug}-blank.pdf"'
        return response


class ProjectToolsView(ListCreateAPIView):
    """GET the tools of a project; POST {"template": "sbmc", "title": "..."} to start one."""

    serializer_class = ToolSerializer
    filterset_fields = ["status"]
    search_fields = ["title"]
    ordering_fields = ["created_at", "updated_at"]

    def get_project(self):
        return get_object_or_404(projects_visible_to(self.request.user), pk=self.kwargs["project_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no project
            return ToolInstance.objects.none()
        return tool_list(self.request.user).filter(project=self.get_project()).order_by("-created_at", "-id")

    def create(self, request, *args, **kwargs):
        project = self.get_project()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = services.tool_create(
            project=project,
            template=serializer.validated_data["template"],
            title=serializer.validated_data.get("title", ""),
            by=request.user,
        )
        return Response(
            ToolSerializer(instance).data, status=status.HTTP_201_CREATED, headers={"ETag": etag(instance)}
        )


class ToolViewSet(VersionedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A tool with its entries or graph, completeness and validation; nested element lists."""

    serializer_class = ToolDetailSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return tool_detail(self.request.user)

    def get_serializer_class(self):
        return ToolUpdateSerializer if self.action == "partial_update" else ToolDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        if request.headers.get("If-None-Match") == etag(instance):  # cheap polling: unchanged
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag(instance)})
        return Response(self.get_serializer(instance).data, headers={"ETag": etag(instance)})

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = ToolUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.tool_update(
            instance=instance,
            by=request.user,
            expected_version=self.expected_version(required=True),
            title=data.get("title"),
            status=data.get("status"),
        )
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(
            ToolDetailSerializer(fresh, context=self.get_serializer_context()).data,
            headers={"ETag": etag(fresh)},
        )

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        services.tool_delete(
            instance=instance, by=request.user, expected_version=self.expected_version(required=True)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _nested(self, request, *, serializer_class, items, create):
        instance = self.get_object()
        context = {**self.get_serializer_context(), "instance": instance}
        if request.method == "GET":
            data = serializer_class(items(instance), many=True, context=context).data
            return Response(data, headers={"ETag": etag(instance)})
        serializer = serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        created = create(instance, serializer.validated_data, self.expected_version(required=False))
        return self.versioned(
            serializer_class(created, context=context).data, instance, status.HTTP_201_CREATED
        )

    @extend_schema(request=EntrySerializer, responses=EntrySerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=EntrySerializer)
    def entries(self, request, pk=None):
        return self._nested(
            request,
            serializer_class=EntrySerializer,
            items=lambda instance: instance.entries.all(),
            create=lambda instance, data, version: services.entry_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                block_key=data["block_key"],
                text=data["text"],
                source=data.get("source", Entry.Source.STAFF),
                client_label=data.get("client_label", ""),
                language=data.get("language", ""),
                indicator=data.get("indicator"),
                intervention=data.get("intervention"),
            ),
        )

    @extend_schema(request=OutcomeSerializer, responses=OutcomeSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=OutcomeSerializer)
    def outcomes(self, request, pk=None):
        return self._nested(
            request,
            serializer_class=OutcomeSerializer,
            items=lambda instance: instance.outcomes.all(),
            create=lambda instance, data, version: services.outcome_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                text=data["text"],
                level=data.get("level", Outcome.Level.EARLY),
                above_ceiling=data.get("above_ceiling"),
                indicators=data.get("indicators", ()),
            ),
        )

    @extend_schema(request=LinkSerializer, responses=LinkSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=LinkSerializer)
    def links(self, request, pk=None):
        return self._nested(
            request,
            serializer_class=LinkSerializer,
            items=lambda instance: instance.links.all(),
            create=lambda instance, data, version: services.link_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                source=data["source"],
                target=data["target"],
                rationale=data.get("rationale", ""),
                kind=data.get("kind", CausalLink.Kind.CAUSAL),
            ),
        )

    @extend_schema(request=InterventionSerializer, responses=InterventionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=InterventionSerializer)
    def interventions(self, request, pk=None):
        return self._nested(
            request,
            serializer_class=InterventionSerializer,
            items=lambda instance: instance.interventions.all(),
            create=lambda instance, data, version: services.intervention_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                text=data["text"],
                outputs=data.get("outputs", ""),
                outcomes=data.get("outcomes", ()),
            ),
        )

    @extend_schema(request=AssumptionSerializer, responses=AssumptionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=AssumptionSerializer)
    def assumptions(self, request, pk=None):
        return self._nested(
            request,
            serializer_class=AssumptionSerializer,
            items=lambda instance: instance.assumptions.all(),
            create=lambda instance, data, version: services.assumption_add(
                instance=instance,
                by=request.user,
                expected_version=version,
                text=data["text"],
                link=data.get("link"),
                outcome=data.get("outcome"),
                status=data.get("status", Assumption.Status.UNTESTED),
            ),
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True)
    def validation(self, request, pk=None):
        instance = self.get_object()
        found = findings(instance)
        return Response(
            {
                "valid": not found,
                "status": instance.status,
                "completeness": completeness(instance).as_dict(),
                "findings": [finding.as_dict() for finding in found],
            },
            headers={"ETag": etag(instance)},
        )

    @extend_schema(request=SnapshotSerializer, responses=SnapshotSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=SnapshotSerializer)
    def snapshots(self, request, pk=None):
        instance = self.get_object()
        if request.method == "GET":
            return Response(SnapshotSerializer(snapshots_of(instance), many=True).data)
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

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def export(self, request, pk=None):
        instance = self.get_object()
        response = HttpResponse(tool_pdf(instance), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="tool-{instance.pk}-v{instance.version}.pdf"'
        return response


class ElementViewSet(
    VersionedMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """GET / PATCH / DELETE of one element of a tool. PATCH and DELETE need If-Match."""

    http_method_names = ["get", "patch", "delete", "post", "head", "options"]
    filter_backends = []
    model = None

    def get_queryset(self):
        visible = projects_visible_to(self.request.user)
        return self.model.objects.filter(instance__project__in=visible).select_related(
            "instance", "instance__template", "instance__project"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "_element", None) is not None:
            context["instance"] = self._element.instance
        return context

    def get_element(self):
        self._element = self.get_object()
        return self._element

    def retrieve(self, request, *args, **kwargs):
        element = self.get_element()
        return Response(self.get_serializer(element).data, headers={"ETag": etag(element.instance)})

    def partial_update(self, request, *args, **kwargs):
        element = self.get_element()
        serializer = self.get_serializer(element, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = self.update_element(
            element, serializer.validated_data, self.expected_version(required=True)
        )
        return self.versioned(self.get_serializer(updated).data, element.instance)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise exceptions.MethodNotAllowed("PUT")
        return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        element = self.get_element()
        instance = element.instance
        self.delete_element(element, self.expected_version(required=True))
        instance.refresh_from_db(fields=["version"])
        return Response(status=status.HTTP_204_NO_CONTENT, headers={"ETag": etag(instance)})


class EntryViewSet(ElementViewSet):
    serializer_class = EntrySerializer
    model = Entry

    def get_queryset(self):
        return super().get_queryset().select_related("indicator", "intervention")

    def update_element(self, entry, data, version):
        return services.entry_update(
            entry=entry,
            by=self.request.user,
            expected_version=version,
            text=data.get("text"),
            indicator=data.get("indicator", UNSET),
            intervention=data.get("intervention", UNSET),
        )

    def delete_element(self, entry, version):
        services.entry_delete(entry=entry, by=self.request.user, expected_version=version)

    @extend_schema(
        request=serializers.Serializer,
        parameters=[OpenApiParameter("direction", str, enum=["up", "down"])],
        responses=EntrySerializer,
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the entry one place up or down in its block: {"direction": "up"}."""
        entry = self.get_element()
        moved = services.entry_move(
            entry=entry,
            by=request.user,
            direction=request.data.get("direction", ""),
            expected_version=self.expected_version(required=True),
        )
        return self.versioned(
            EntrySerializer(moved, context=self.get_serializer_context()).data, entry.instance
        )


class OutcomeViewSet(ElementViewSet):
    serializer_class = OutcomeSerializer
    model = Outcome

    def get_queryset(self):
        return super().get_queryset().prefetch_related("indicators")

    def update_element(self, outcome, data, version):
        return services.outcome_update(
            outcome=outcome,
            by=self.request.user,
            expected_version=version,
            text=data.get("text"),
            level=data.get("level"),
            above_ceiling=data.get("above_ceiling"),
            indicators=data.get("indicators"),
        )

    def delete_element(self, outcome, version):
        services.outcome_delete(outcome=outcome, by=self.request.user, expected_version=version)


class LinkViewSet(ElementViewSet):
    serializer_class = LinkSerializer
    model = CausalLink

    def update_element(self, link, data, version):
        return services.link_update(
            link=link,
            by=self.request.user,
            expected_version=version,
            rationale=data.get("rationale"),
            kind=data.get("kind"),
        )

    def delete_element(self, link, version):
        services.link_delete(link=link, by=self.request.user, expected_version=version)


class InterventionViewSet(ElementViewSet):
    serializer_class = InterventionSerializer
    model = Intervention

    def get_queryset(self):
        return super().get_queryset().prefetch_related("outcomes")

    def update_element(self, intervention, data, version):
        return services.intervention_update(
            intervention=intervention,
            by=self.request.user,
            expected_version=version,
            text=data.get("text"),
            outputs=data.get("outputs"),
            outcomes=data.get("outcomes"),
        )

    def delete_element(self, intervention, version):
        services.intervention_delete(
            intervention=intervention, by=self.request.user, expected_version=version
        )


class AssumptionViewSet(ElementViewSet):
    serializer_class = AssumptionSerializer
    model = Assumption

    def update_element(self, assumption, data, version):
        return services.assumption_update(
            assumption=assumption,
            by=self.request.user,
            expected_version=version,
            text=data.get("text"),
            status=data.get("status"),
            link=data.get("link", UNSET),
            outcome=data.get("outcome", UNSET),
        )

    def delete_element(self, assumption, version):
        services.assumption_delete(assumption=assumption, by=self.request.user, expected_version=version)


class SnapshotViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SnapshotDetailSerializer

    def get_queryset(self):
        return Snapshot.objects.filter(instance__project__in=projects_visible_to(self.request.user))


router = SimpleRouter()
router.register("tool-templates", ToolTemplateViewSet, basename="tool-template")
router.register("tools", ToolViewSet, basename="tool")
router.register("entries", EntryViewSet, basename="tool-entry")
router.register("outcomes", OutcomeViewSet, basename="toc-outcome")
router.register("links", LinkViewSet, basename="toc-link")
router.register("interventions", InterventionViewSet, basename="toc-intervention")
router.register("assumptions", AssumptionViewSet, basename="toc-assumption")
router.register("snapshots", SnapshotViewSet, basename="tool-snapshot")

PDF_RENDERERS = [PDFRenderer, renderers.JSONRenderer]

urlpatterns = [
    path("projects/<int:project_id>/tools/", ProjectToolsView.as_view(), name="project-tools"),
    # File-like URLs, without the router's trailing slash.
    path(
        "tools/<int:pk>/export.pdf",
        ToolViewSet.as_view({"get": "export"}, renderer_classes=PDF_RENDERERS),
        name="tool-export-pdf",
    ),
    path(
        "tool-templates/<slug:slug>/blank.pdf",
        ToolTemplateViewSet.as_view({"get": "blank"}, renderer_classes=PDF_RENDERERS),
        name="tool-template-blank-pdf",
    ),
    *router.urls,
]
