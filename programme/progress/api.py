"""API of reporting periods and progress reports: /api/v1/reporting-periods/,
/api/v1/progress-reports/ (and their submit/approve/return actions and evidence), and
/api/v1/progress-evidence/{id}/ (one file: its details, delete, download).

Thin: serializers check the shape, services (`programme.progress.services`) apply the rules and
write, selectors decide what one may see (404 otherwise) and load lists in a fixed number of queries.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from sempre.api_support import IdFilter, RulesPermission
from sempre.rules import is_coordinator, is_org_staff

from ..models import EvidenceFile, ProgressReport, ProgressReportEvent, ReportingPeriod
from . import selectors, services
from .files import evidence_response

# Serializers -------------------------------------------------------------------------------------


class ReportingPeriodSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = ReportingPeriod
        fields = ["id", "name", "start", "end", "due"]
        read_only_fields = ["id", "name"]

    def get_name(self, period) -> str:
        return str(period)


class ProgressProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")
    country = serializers.CharField()


class ProgressReportSummarySerializer(serializers.ModelSerializer):
    period = ReportingPeriodSerializer()
    project = ProgressProjectSerializer()
    days_late = serializers.SerializerMethodField(help_text=_("Days past the due date while not submitted."))
    evidence_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "period",
            "project",
            "status",
            "days_late",
            "submitted_at",
            "approved_at",
            "evidence_count",
        ]
        read_only_fields = fields

    def get_days_late(self, report) -> int | None:
        return selectors.days_late(report)


class ProgressEvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "filename",
            "content_type",
            "size",
            "checksum",
            "description",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, evidence) -> str:
        return f"/api/v1/progress-evidence/{evidence.pk}/download/"


class ProgressReportEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_username", default=None, allow_null=True)

    class Meta:
        model = ProgressReportEvent
        fields = ["action", "comment", "by", "at"]
        read_only_fields = fields


class ProgressReportSerializer(ProgressReportSummarySerializer):
    figures = serializers.SerializerMethodField(
        help_text=_(
            "As approved for an approved report (frozen); as submitted for a submitted one; else as of now."
        )
    )
    corrections = serializers.SerializerMethodField(help_text=_("Corrections to earlier approved periods."))
    is_frozen = serializers.BooleanField(read_only=True)
    evidence = ProgressEvidenceSerializer(many=True, read_only=True)
    events = ProgressReportEventSerializer(many=True, read_only=True)

    class Meta(ProgressReportSummarySerializer.Meta):
        fields = [
            *ProgressReportSummarySerializer.Meta.fields,
            "highlights",
            "problems",
            "next_steps",
            "return_comment",
            "is_frozen",
            "figures",
            "corrections",
            "evidence",
            "events",
        ]
        read_only_fields = fields

    def _shown(self, report) -> dict:
        if not hasattr(report, "_shown"):
            report._shown = selectors.report_shown(report)
        return report._shown

    def get_figures(self, report) -> dict:
        return self._shown(report)["figures"]

    def get_corrections(self, report) -> list[dict]:
        return self._shown(report)["corrections"]

    def to_representation(self, report):
        data = super().to_representation(report)
        if report.is_frozen:  # the text as approved
            data.update(self._shown(report)["narrative"])
        return data


class ProgressNarrativeSerializer(serializers.Serializer):
    highlights = serializers.CharField(
        required=False, allow_blank=True, max_length=services.NARRATIVE_MAX_LENGTH
    )
    problems = serializers.CharField(
        required=False, allow_blank=True, max_length=services.NARRATIVE_MAX_LENGTH
    )
    next_steps = serializers.CharField(
        required=False, allow_blank=True, max_length=services.NARRATIVE_MAX_LENGTH
    )


class ProgressApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=services.COMMENT_MAX_LENGTH, default=""
    )


class ProgressReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=services.COMMENT_MAX_LENGTH)


class ProgressEvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=200, allow_empty_file=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class ProgressReportFilter(django_filters.FilterSet):
    period = IdFilter(field_name="period_id", label=_("Reporting period id"))
    project = IdFilter(field_name="project_id", label=_("Project id"))
    status = django_filters.MultipleChoiceFilter(choices=ProgressReport.Status.choices, label=_("Status"))

    class Meta:
        model = ProgressReport
        fields = ["period", "project", "status"]


# Views -------------------------------------------------------------------------------------------


class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reporting periods of the programme. Coordinators add one with POST; a draft report is then
    made for every active project that runs in it."""

    serializer_class = ReportingPeriodSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": is_org_staff | is_coordinator,
        "retrieve": is_org_staff | is_coordinator,
        "create": is_coordinator,
    }
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.periods_list()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = services.period_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(period).data, status=status.HTTP_201_CREATED)


class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Progress reports of the projects one may see (coordinators: all). The team writes the
    narrative (PATCH), adds evidence and submits; coordinators approve or return with a comment."""

    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": is_org_staff | is_coordinator,
        "partial_update": "programme.change_progressreport",
        "submit": "programme.change_progressreport",
        "approve": "programme.decide_progressreport",
        "return_to_team": "programme.decide_progressreport",
    }
    lookup_value_converter = "int"
    filterset_class = ProgressReportFilter
    ordering = ["-period__start", "project__title", "id"]
    ordering_fields = ["period__start", "project__title", "status", "submitted_at"]
    search_fields = ["project__title", "project__organisation__name"]

    def get_queryset(self):
        queryset = selectors.report_list(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("evidence", "events__by")
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return ProgressReportSummarySerializer
        if self.action == "partial_update":
            return ProgressNarrativeSerializer
        if self.action == "approve":
            return ProgressApproveSerializer
        if self.action == "return_to_team":
            return ProgressReturnSerializer
        if self.action == "evidence":
            return (
                ProgressEvidenceUploadSerializer
                if self.request.method == "POST"
                else ProgressEvidenceSerializer
            )
        return ProgressReportSerializer

    def _respond(self, report, code=status.HTTP_200_OK):
        report = (
            selectors.report_list(self.request.user)
            .prefetch_related("evidence", "events__by")
            .get(pk=report.pk)
        )
        return Response(
            ProgressReportSerializer(report, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=ProgressNarrativeSerializer, responses=ProgressReportSerializer)
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.report_update(report=report, by=request.user, **serializer.validated_data)
        return self._respond(report)

    @extend_schema(
        request=None,
        responses=ProgressReportSerializer,
        description="Send the report to the coordinator; the platform fills in the figures. Every part "
        "of the narrative must be written (400 naming the parts that are not).",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        report = services.report_submit(report=self.get_object(), by=request.user)
        return self._respond(report)

    @extend_schema(request=ProgressApproveSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_approve(report=report, by=request.user, **serializer.validated_data)
        return self._respond(report)

    @extend_schema(request=ProgressReturnSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_team(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_return(report=report, by=request.user, **serializer.validated_data)
        return self._respond(report)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ProgressEvidenceSerializer(many=True),
        description="The report's evidence files.",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": ProgressEvidenceUploadSerializer},
        responses={201: ProgressEvidenceSerializer},
        description="Attach a file (multipart `file`, optional `description`): a PDF, an image or an "
        "office document, at most 10 MB, its content checked.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
    def evidence(self, request, *args, **kwargs):
        report = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(report.evidence.order_by("uploaded_at", "id"))
            return self.get_paginated_response(ProgressEvidenceSerializer(page, many=True).data)
        if not request.user.has_perm("programme.change_progressreport", report):
            self.permission_denied(request, message=_("Only the project's team adds evidence."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = services.evidence_add(report=report, by=request.user, **serializer.validated_data)
        return Response(ProgressEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """One evidence file of a progress report: its details, DELETE (while the team may change the
    report), and its content (`download/`, written to the audit log)."""

    serializer_class = ProgressEvidenceSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {"destroy": "programme.change_progressreport"}
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.evidence_visible_to(self.request.user)

    def get_rules_object(self, evidence):
        return evidence.report

    def destroy(self, request, *args, **kwargs):
        services.evidence_delete(evidence=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            404: OpenApiResponse(description="No such file among those you may see."),
            410: OpenApiResponse(description="The file is no longer there."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        evidence = self.get_object()
        response = evidence_response(evidence, by=request.user, request=request)
        if response is None:
            return Response({"detail": _("The file is no longer there.")}, status=status.HTTP_410_GONE)
        return response


router = SimpleRouter()
router.register("reporting-periods", PeriodViewSet, basename="reporting-period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("progress-evidence", EvidenceViewSet, basename="progress-evidence")
urlpatterns = router.urls
