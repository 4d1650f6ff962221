"""Canvas endpoints: the entries of a canvas (`/tools/{id}/entries/`, `/entries/{id}/`)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from .. import services
from ..models import Entry
from .common import VERSIONED, ElementViewSet, ToolElementsMixin, if_match, nested_schema
from .serializers import EntrySerializer


class CanvasToolActions(ToolElementsMixin):
    """A canvas's entries, as part of the tool's viewset."""

    @nested_schema(EntrySerializer)
    @action(detail=True, methods=["get", "post"], serializer_class=EntrySerializer)
    def entries(self, request, pk=None):
        return self.nested(
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
            indicator=data.get("indicator", services.UNSET),
            intervention=data.get("intervention", services.UNSET),
        )

    def delete_element(self, entry, version):
        services.entry_delete(entry=entry, by=self.request.user, expected_version=version)

    @extend_schema(
        request=serializers.Serializer,
        parameters=[OpenApiParameter("direction", str, enum=["up", "down"]), if_match(required=True)],
        responses=EntrySerializer,
        extensions=VERSIONED,
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
