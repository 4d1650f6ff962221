"""Tool endpoints: the templates one can start, a project's tools, and a tool itself (its content,
renaming and completing it, deleting it, its validation, its PDF). The lists of a tool's elements
come from the mixins of each kind of tool."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response

from microprojects.selectors import projects_visible_to
from sempre.api_support import Pagination

from .. import services
from ..export import blank_pdf, tool_pdf
from ..models import ToolInstance
from ..selectors import templates_available, tool_detail, tool_list
from ..validation import completeness, findings, status_warning
from .canvas import CanvasToolActions
from .common import VERSIONED, etag, if_match
from .serializers import ToolDetailSerializer, ToolSerializer, ToolTemplateSerializer, ToolUpdateSerializer
from .snapshots import SnapshotToolActions
from .theory_of_change import TheoryOfChangeToolActions


class PDFRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


PDF_RENDERERS = [PDFRenderer, renderers.JSONRenderer]


class ErrorsAsJSON:
    """A PDF endpoint's errors (403, 404, 429 ...) are JSON like every API error, whatever the
    Accept header chose for the file: a PDF renderer cannot write `{"detail": ...}`."""

    def finalize_response(self, request, response, *args, **kwargs):
        chosen = getattr(request, "accepted_renderer", None)
        # None: the negotiation itself failed (`?format=` naming no renderer) and DRF would pick the first.
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and (chosen is None or isinstance(chosen, PDFRenderer))
        ):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class ToolTemplateViewSet(ErrorsAsJSON, viewsets.ReadOnlyModelViewSet):
    """The tools one can start: canvases and the Theory of Change, with their blocks."""

    serializer_class = ToolTemplateSerializer
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        return templates_available()

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def blank(self, request, slug=None):
        template = self.get_object()
        response = HttpResponse(blank_pdf(template), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{template.slug}-blank.pdf"'
        return response


@extend_schema_view(post=extend_schema(extensions=VERSIONED))
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


class ToolViewSet(
    ErrorsAsJSON,
    CanvasToolActions,
    TheoryOfChangeToolActions,
    SnapshotToolActions,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A tool with its entries or graph, completeness and validation; nested element lists."""

    serializer_class = ToolDetailSerializer
    filter_backends = []
    pagination_class = Pagination  # the nested lists (entries, outcomes, snapshots ...)

    def get_queryset(self):
        return tool_detail(self.request.user)

    def get_serializer_class(self):
        return ToolUpdateSerializer if self.action == "partial_update" else ToolDetailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=str(_("The ETag last read: 304 with no body while the tool is unchanged.")),
            )
        ],
        responses={200: ToolDetailSerializer, 304: OpenApiResponse(description=str(_("Unchanged.")))},
        extensions=VERSIONED,
    )
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        if request.headers.get("If-None-Match") == etag(instance):  # cheap polling: unchanged
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag(instance)})
        return Response(self.get_serializer(instance).data, headers={"ETag": etag(instance)})

    @extend_schema(
        request=ToolUpdateSerializer,
        responses=ToolDetailSerializer,
        parameters=[if_match(required=True)],
        extensions=VERSIONED,
    )
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

    @extend_schema(parameters=[if_match(required=True)])
    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        services.tool_delete(
            instance=instance, by=request.user, expected_version=self.expected_version(required=True)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=OpenApiTypes.OBJECT, extensions=VERSIONED)
    @action(detail=True)
    def validation(self, request, pk=None):
        instance = self.get_object()
        found = findings(instance)
        return Response(
            {
                "valid": not found,
                "status": instance.status,
                "completeness": completeness(instance).as_dict(),
                "status_warning": status_warning(instance, found),
                "findings": [finding.as_dict() for finding in found],
            },
            headers={"ETag": etag(instance)},
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def export(self, request, pk=None):
        instance = self.get_object()
        response = HttpResponse(tool_pdf(instance), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="tool-{instance.pk}-v{instance.version}.pdf"'
        return response
