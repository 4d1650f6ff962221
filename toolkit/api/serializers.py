"""Serializers of the toolkit API, for every kind of tool: the tool with its content is one answer
(also the body of a 409), so its parts live together here."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from microprojects.models import Indicator
from microprojects.selectors import projects_visible_to

from ..models import (
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
from ..selectors import interventions_visible_to
from ..validation import completeness, findings, status_warning

# Templates ----------------------------------------------------------------------------------------


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


# Related fields: only what the user may see, or what belongs to the tool written to ---------------


class VisibleIndicatorField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Indicator.objects.filter(project__in=projects_visible_to(self.context["request"].user))


class VisibleInterventionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return interventions_visible_to(self.context["request"].user)


class ToolOutcomeField(serializers.PrimaryKeyRelatedField):
    """Outcomes of the tool being written to (context["instance"])."""

    def get_queryset(self):
        return Outcome.objects.filter(instance=self.context["instance"])


class ToolLinkField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return CausalLink.objects.filter(instance=self.context["instance"])


# Canvas -------------------------------------------------------------------------------------------


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


# Theory of Change ---------------------------------------------------------------------------------


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


# Tools --------------------------------------------------------------------------------------------


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
    status_warning = serializers.SerializerMethodField(
        help_text=_(
            "Empty unless the tool is marked complete and its content no longer passes (e.g. an entry "
            "deleted since): the status stays as chosen, and this says what is missing."
        )
    )
    validation = serializers.SerializerMethodField()
    entries = serializers.SerializerMethodField()
    graph = serializers.SerializerMethodField()

    class Meta(ToolSerializer.Meta):
        fields = [
            *ToolSerializer.Meta.fields,
            "completeness",
            "status_warning",
            "validation",
            "entries",
            "graph",
        ]

    def get_completeness(self, instance) -> dict:
        return completeness(instance).as_dict()

    def get_status_warning(self, instance) -> str:
        return status_warning(instance)

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


# Snapshots ----------------------------------------------------------------------------------------


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Snapshot
        fields = ["id", "number", "note", "instance_version", "created_by", "created_at"]
        read_only_fields = ["number", "instance_version", "created_by", "created_at"]


class SnapshotDetailSerializer(SnapshotSerializer):
    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "data"]
