"""What every kind of tool's endpoints share: versions, who may write, and one element's endpoint.

Optimistic concurrency: every tool response carries `ETag: "<version>"`; writes send it back as
`If-Match` (or a "version" field in the body). Changing or deleting something without it answers
428; a stale version answers 409 with the tool's current state, so nobody loses an update silently.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response

from ..models import ToolInstance
from ..selectors import elements_visible_to, tool_with_content
from ..services import VersionConflict, parse_version
from .serializers import ToolDetailSerializer


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _("Send the tool version you last saw as an If-Match header (or a “version” field).")
    default_code = "precondition_required"


def etag(instance: ToolInstance) -> str:
    return f'"{instance.version}"'


def if_match(*, required: bool) -> OpenApiParameter:
    """The If-Match header of a write, for the schema (sempre.api_schema adds its 409 and 428)."""
    return OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=required,
        description=str(
            _('The ETag of the tool as last read, such as "7" (or a “version” field in the body instead).')
            if required
            else _("The ETag of the tool as last read; without it the change applies to the current version.")
        ),
    )


# Every answer about a tool carries its ETag (sempre.api_schema declares the header).
VERSIONED = {"x-etag": True}


def nested_schema(serializer_class, *, created=None, versioned_write=True):
    """The schema of a tool's nested list: GET a page of them, POST one (201, the new one)."""

    def decorate(view):
        view = extend_schema(methods=["GET"], responses=serializer_class(many=True), extensions=VERSIONED)(
            view
        )
        return extend_schema(
            methods=["POST"],
            request=serializer_class,
            responses={201: created or serializer_class},
            parameters=[if_match(required=False)] if versioned_write else [],
            extensions=VERSIONED if versioned_write else None,
        )(view)

    return decorate


class MayChangeTool(permissions.IsAuthenticated):
    """Reading needs a login: what one may see is decided by the queryset (404 otherwise). Writing
    needs `toolkit.change_toolinstance` on the tool, checked as soon as the object is looked up, so
    a coordinator, who may read tools but not change them, gets 403 before any check of the body
    or the version (which would otherwise answer 400/428 first)."""

    message = _("You may look at this tool but not change it.")

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        tool = obj if isinstance(obj, ToolInstance) else obj.instance
        return request.user.has_perm("toolkit.change_toolinstance", tool)


class VersionedMixin:
    """Reads If-Match / "version", answers VersionConflict with 409 and the current state."""

    permission_classes = [MayChangeTool]

    def expected_version(self, *, required: bool):
        header = self.request.headers.get("If-Match", "")
        body = self.request.data.get("version") if hasattr(self.request.data, "get") else None
        value = header or body
        if value in (None, "") and required:
            raise PreconditionRequired()
        return parse_version(value)

    def handle_exception(self, exc):
        if isinstance(exc, VersionConflict):
            current = tool_with_content(exc.instance.pk)
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


class ToolElementsMixin(VersionedMixin):
    """The nested lists of a tool (`/tools/{id}/entries/`, `/outcomes/`, ...): GET lists them, POST
    adds one. Each kind of tool contributes its lists as a mixin of the tool's viewset."""

    def nested(self, request, *, serializer_class, items, create):
        instance = self.get_object()
        context = {**self.get_serializer_context(), "instance": instance}
        if request.method == "GET":
            page = self.paginate_queryset(items(instance))
            response = self.get_paginated_response(serializer_class(page, many=True, context=context).data)
            response["ETag"] = etag(instance)
            return response
        serializer = serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        created = create(instance, serializer.validated_data, self.expected_version(required=False))
        return self.versioned(
            serializer_class(created, context=context).data, instance, status.HTTP_201_CREATED
        )


class ElementViewSet(
    VersionedMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """GET / PATCH / DELETE of one element of a tool. PATCH and DELETE need If-Match."""

    # The docstring above is the API schema's description. Subclasses name the `model` and write
    # through the services in `update_element` and `delete_element`.

    http_method_names = ["get", "patch", "delete", "post", "head", "options"]
    filter_backends = []
    model = None

    def get_queryset(self):
        return elements_visible_to(self.request.user, self.model)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "_element", None) is not None:
            context["instance"] = self._element.instance
        return context

    def get_element(self):
        self._element = self.get_object()
        return self._element

    def update_element(self, element, data, version):
        raise NotImplementedError

    def delete_element(self, element, version):
        raise NotImplementedError

    @extend_schema(extensions=VERSIONED)
    def retrieve(self, request, *args, **kwargs):
        element = self.get_element()
        return Response(self.get_serializer(element).data, headers={"ETag": etag(element.instance)})

    @extend_schema(parameters=[if_match(required=True)], extensions=VERSIONED)
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

    @extend_schema(parameters=[if_match(required=True)], extensions=VERSIONED)
    def destroy(self, request, *args, **kwargs):
        element = self.get_element()
        instance = element.instance
        self.delete_element(element, self.expected_version(required=True))
        instance.refresh_from_db(fields=["version"])
        return Response(status=status.HTTP_204_NO_CONTENT, headers={"ETag": etag(instance)})
