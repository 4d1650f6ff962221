"""/api/v1/methods/ (the methods library) and /api/v1/cases/.

Methods are read-only data: a paginated list (filters target_group, tool, need, as on the web
page) and one method by slug, with the projects the requester may see that used it.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

from . import case_api
from .filters import MethodApiFilter
from .models import Method
from .selectors import method_use, methods_available


class MethodSerializer(serializers.ModelSerializer):
    target_groups = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    tool_template = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    translations = serializers.DictField(
        child=serializers.DictField(),
        read_only=True,
        help_text="{language: {field: text}}: every text field but in that language (steps a list); "
        "a field missing there is the English one.",
    )

    class Meta:
        model = Method
        fields = [
            "slug",
            "version",
            "title",
            "purpose",
            "when_to_use",
            "steps",
            "time_needed",
            "group_size",
            "materials",
            "low_literacy",
            "no_shared_language",
            "disabilities",
            "target_groups",
            "tool_template",
            "licence",
            "attribution",
            "translations",
        ]


class ProjectLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()


class CaseLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()


class MethodUseSerializer(serializers.Serializer):
    project_count = serializers.IntegerField(help_text="Projects you may see that used the method.")
    projects = ProjectLinkSerializer(many=True, help_text="The first 20 of them, by title.")
    case_count = serializers.IntegerField(help_text="Published practice cases you may read that name it.")
    cases = CaseLinkSerializer(many=True, help_text="The first 20 of them, newest first.")


class MethodDetailSerializer(MethodSerializer):
    used_in = serializers.SerializerMethodField()

    class Meta(MethodSerializer.Meta):
        fields = [*MethodSerializer.Meta.fields, "used_in"]

    @extend_schema_field(MethodUseSerializer)
    def get_used_in(self, method) -> dict:
        return MethodUseSerializer(method_use(method, self.context["request"].user)).data


@extend_schema_view(
    list=extend_schema(
        summary="The methods library",
        description="Every method, in the library's order, paginated. Filters: target_group (a target "
        "group's slug), tool (a tool template's slug), need (low_literacy, no_shared_language or "
        "disabilities: methods with advice for it). An unknown value is refused (400 naming the filter).",
    ),
    retrieve=extend_schema(
        summary="One method",
        description="The method, with used_in: the projects you may see that used it (those with a "
        "tool of its tool template) and the published practice cases that name it.",
    ),
)
class MethodViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = MethodApiFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return methods_available()

    def get_serializer_class(self):
        return MethodDetailSerializer if self.action == "retrieve" else MethodSerializer


router = SimpleRouter()
router.register("methods", MethodViewSet, basename="method")

urlpatterns = [*router.urls, *case_api.urlpatterns]
