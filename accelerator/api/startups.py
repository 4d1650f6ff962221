"""Start-ups: their details, monthly figures and milestones."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sempre.api_support import RulesPermission

from .. import selectors, services
from ..models import Milestone, MonthlyFigure, StartUp


class StartUpSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="application.project.title", read_only=True)
    country = serializers.CharField(source="application.project.country.code", read_only=True)

    class Meta:
        model = StartUp
        fields = ["id", "application", "project_title", "country", "name", "legal_form", "founded", "stage"]
        read_only_fields = ["application", "stage"]


class FigureSerializer(serializers.ModelSerializer):
    self_sufficiency = serializers.DecimalField(max_digits=8, decimal_places=3, read_only=True)
    replace = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Confirms replacing the figures of a month already recorded; without it such a "
        "month is refused (400, code already_recorded on month).",
    )

    class Meta:
        model = MonthlyFigure
        fields = [
            "id",
            "month",
            "earned_income",
            "grants",
            "costs",
            "customers",
            "paid_jobs",
            "volunteers",
            "beneficiaries",
            "self_sufficiency",
            "replace",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due", "done_on", "evidence"]


class StartUpViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    serializer_class = StartUpSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "update": "accelerator.report_startup",
        "partial_update": "accelerator.report_startup",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.startups_visible_to(self.request.user).order_by("name", "pk")

    def perform_update(self, serializer):
        serializer.instance = services.startup_update(
            startup=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(methods=["GET"], responses=FigureSerializer(many=True))
    @extend_schema(methods=["POST"], request=FigureSerializer, responses={201: FigureSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def figures(self, request, pk=None):
        startup = self.get_object()
        if request.method == "POST":
            data = FigureSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            figure = services.figure_record(startup=startup, by=request.user, **data.validated_data)
            return Response(FigureSerializer(figure).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.figures_of(startup))
        return self.get_paginated_response(FigureSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=MilestoneSerializer(many=True))
    @extend_schema(methods=["POST"], request=MilestoneSerializer, responses={201: MilestoneSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def milestones(self, request, pk=None):
        startup = self.get_object()
        if request.method == "POST":
            data = MilestoneSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            milestone = services.milestone_create(startup=startup, by=request.user, **data.validated_data)
            return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.milestones_of(startup))
        return self.get_paginated_response(MilestoneSerializer(page, many=True).data)
