"""/api/v1/frameworks/, /api/v1/indicator-mappings/ and /api/v1/progress-reports/.

Frameworks (read): the catalogue, each framework's indicators, and the programme's totals per
framework indicator (programme.selectors.framework_totals), with figures of 1 to 4 people shown as
"<5" for every reader: the API is a way out of the platform (docs/programme-reporting.md).
Indicator mappings (the crosswalk): list, read, create (mapping again changes relation and factor),
delete; project staff and coordinators.
"""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from microprojects.selectors import indicators_to_record
from reports.renderers.base import small_count

from . import services
from .forms import TotalsForm
from .models import Framework, FrameworkIndicator, IndicatorMapping
from .progress import api as progress_api
from .selectors import framework_indicators, framework_totals, frameworks_list, mappings_visible_to


class FrameworkSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Framework
        fields = ["slug", "name", "description", "version", "source_title", "source_url", "indicator_count"]

    def get_name(self, framework) -> str:
        return framework.display_name()

    def get_description(self, framework) -> str:
        return framework.display_description()


class FrameworkIndicatorSerializer(serializers.ModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.SerializerMethodField()
    definition = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    measured_when = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkIndicator
        fields = [
            "id",
            "framework",
            "code",
            "name",
            "definition",
            "unit",
            "kind",
            "measured_when",
            "breakdowns",
            "counts_people",
            "activity_source",
            "source_title",
            "source_url",
        ]

    def get_name(self, indicator) -> str:
        return indicator.text("name")

    def get_definition(self, indicator) -> str:
        return indicator.text("definition")

    def get_unit(self, indicator) -> str:
        return indicator.text("unit")

    def get_measured_when(self, indicator) -> str:
        return indicator.text("measured_when")


class IndicatorMappingSerializer(serializers.ModelSerializer):
    indicator = serializers.PrimaryKeyRelatedField(queryset=IndicatorMapping.objects.none())
    framework_indicator = serializers.PrimaryKeyRelatedField(
        queryset=FrameworkIndicator.objects.filter(is_current=True)
    )
    framework = serializers.CharField(source="framework_indicator.framework.slug", read_only=True)
    code = serializers.CharField(source="framework_indicator.code", read_only=True)
    project = serializers.IntegerField(source="indicator.project_id", read_only=True)

    class Meta:
        model = IndicatorMapping
        # Mapping an indicator again changes its relation and factor (services.mapping_set), so the
        # unique pair is no reason to refuse.
        validators = []
        fields = [
            "id",
            "indicator",
            "project",
            "framework_indicator",
            "framework",
            "code",
            "relation",
            "factor",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["indicator"].queryset = indicators_to_record(request.user)


def _figure(value, counts_people: bool):
    """A figure as it leaves the platform: None (not collected), "<5" (1 to 4 people) or a number."""
    if value is None:
        return None
    if counts_people:
        value = small_count(value)
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def _total_row(row) -> dict:
    people = row.indicator.counts_people
    return {
        "code": row.indicator.code,
        "name": row.indicator.display_name(),
        "unit": row.indicator.text("unit"),
        "kind": row.indicator.kind,
        "collected": row.is_collected,
        "value": _figure(row.value, people),
        "breakdowns": {
            name: {key: _figure(value, people) for key, value in values.items()}
            for name, values in row.breakdowns.items()
        },
        "projects": [
            {
                "id": item.project.pk,
                "title": item.project.title,
                "country": str(item.project.country),
                "value": _figure(item.value, people),
                "source": item.source,
                "relation": item.relation,
                "indicator": item.indicator.pk if item.indicator else None,
                "factor": float(item.factor),
                "measured_on": item.measured_on,
            }
            for item in row.contributions
        ],
    }


class FrameworkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The indicator frameworks (Interreg, ESF+, IRIS+), their indicators and the programme's totals."""

    serializer_class = FrameworkSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return frameworks_list()

    @extend_schema(responses=FrameworkIndicatorSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=FrameworkIndicatorSerializer)
    def indicators(self, request, slug=None):
        """A page of the framework's indicators, as every list of the API is (docs/api.md)."""
        framework = get_object_or_404(Framework, slug=slug)
        page = self.paginate_queryset(framework_indicators(framework).select_related("framework"))
        return self.get_paginated_response(FrameworkIndicatorSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="YYYY-MM-DD..YYYY-MM-DD, or a reporting period's id"),
            OpenApiParameter("country", str, description="ISO 3166 country code"),
        ],
        responses={200: dict},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def totals(self, request, slug=None):
        if not request.user.has_perm("programme.view_framework_totals"):
            self.permission_denied(request)
        framework = get_object_or_404(Framework, slug=slug)
        form = TotalsForm(request.query_params)
        if not form.is_valid():
            raise DrfValidationError({field: list(errors) for field, errors in form.errors.items()})
        date_from, date_to = form.cleaned_data["period"] or (None, None)
        country = form.cleaned_data["country"] or ""
        rows = framework_totals(
            request.user, framework, date_from=date_from, date_to=date_to, country=country
        )
        return Response(
            {
                "framework": framework.slug,
                "version": framework.version,
                "date_from": date_from,
                "date_to": date_to,
                "country": country,
                "small_counts_suppressed": True,
                "results": [_total_row(row) for row in rows],
            }
        )


class IndicatorMappingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The crosswalk: which framework indicators each project indicator counts towards.
    `?indicator=<id>` lists one indicator's mappings."""

    serializer_class = IndicatorMappingSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        queryset = mappings_visible_to(self.request.user).order_by("id")
        indicator = self.request.query_params.get("indicator")
        if indicator is not None:
            if not (indicator.isascii() and indicator.isdigit()):
                raise DrfValidationError({"indicator": ["A whole number, please."]})
            queryset = queryset.filter(indicator_id=int(indicator))
        return queryset

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        mapping = services.mapping_set(
            indicator=data["indicator"],
            framework_indicator=data["framework_indicator"],
            relation=data["relation"],
            factor=data.get("factor"),
            by=request.user,
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=mapping.pk)).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, *args, **kwargs):
        services.mapping_remove(mapping=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter(use_regex_path=False)
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("indicator-mappings", IndicatorMappingViewSet, basename="indicator-mapping")

urlpatterns = [*router.urls, *progress_api.urlpatterns]
