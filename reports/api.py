"""API: report jobs. POST asks for a report (202 with the job), GET follows it, download fetches
the file once it is ready. Thin: validation and state changes are in services."""

from urllib.parse import quote

import django_filters
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from sempre import audit

from . import services
from .kinds import KINDS, get_kind
from .models import ReportJob
from .selectors import reports_visible_to


class ReportKindField(serializers.CharField):
    """A report kind's name. The service checks it (naming the kinds one may ask for); the schema
    lists every kind registered (reports.kinds), read when the schema is generated."""


class ReportLanguageField(serializers.CharField):
    """A language code of settings.LANGUAGES; blank or absent on a request: the requester's language."""


def report_kind_names() -> list[str]:
    """The schema's ReportKindEnum (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])."""
    return sorted(KINDS)


def languages() -> list[tuple[str, str]]:
    """The schema's LanguageEnum (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])."""
    return list(settings.LANGUAGES)


class ReportKindFieldExtension(OpenApiSerializerFieldExtension):
    target_class = ReportKindField

    def map_serializer_field(self, auto_schema, direction):
        return build_choice_field(serializers.ChoiceField(choices=report_kind_names()))


class ReportLanguageFieldExtension(OpenApiSerializerFieldExtension):
    target_class = ReportLanguageField

    def map_serializer_field(self, auto_schema, direction):
        field = serializers.ChoiceField(choices=languages(), allow_blank=direction == "request")
        return build_choice_field(field)


class ReportJobSerializer(serializers.ModelSerializer):
    kind = ReportKindField(read_only=True)
    language = ReportLanguageField(read_only=True)
    kind_label = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    progress = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "kind_label",
            "params",
            "language",
            "status",
            "status_label",
            "progress",
            "error",
            "download_url",
            "filename",
            "size",
            "checksum",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_kind_label(self, job) -> str:
        kind = get_kind(job.kind)
        return str(kind.label) if kind else job.kind

    @extend_schema_field(
        inline_serializer(
            "ReportProgress",
            {
                "done": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "percent": serializers.IntegerField(),
            },
        )
    )
    def get_progress(self, job) -> dict:
        return {"done": job.progress_done, "total": job.progress_total, "percent": job.percent}

    def get_download_url(self, job) -> str | None:
        if not job.is_ready:
            return None
        url = reverse("api:report-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ReportRequestSerializer(serializers.Serializer):
    kind = ReportKindField(max_length=40)
    params = serializers.JSONField(required=False, default=dict)
    language = ReportLanguageField(max_length=10, required=False, allow_blank=True)


@extend_schema_field(ReportKindField())  # ReportKindEnum in the schema, as the kinds registered
class ReportKindFilter(django_filters.ChoiceFilter):
    """A closed set, as in the schema: a kind that is not registered is a 400 naming `kind`."""

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = lambda: [(name, name) for name in report_kind_names()]
        super().__init__(*args, **kwargs)


class ReportJobFilter(django_filters.FilterSet):
    kind = ReportKindFilter()

    class Meta:
        model = ReportJob
        fields = ["status", "kind"]


class ReportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Report jobs: your own (coordinators: everyone's)."""

    serializer_class = ReportJobSerializer
    filterset_class = ReportJobFilter
    ordering_fields = ["created_at", "finished_at"]
    search_fields = []

    def get_queryset(self):
        return reports_visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            202: ReportJobSerializer,
            400: OpenApiResponse(description="Unknown kind, language or bad parameters (named by field)."),
            403: OpenApiResponse(description="This kind of report is not for you."),
            503: OpenApiResponse(description="Saved, but the report service cannot be reached just now."),
        },
    )
    def create(self, request, *args, **kwargs):
        incoming = ReportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            job, _created = services.report_request(
                by=request.user,
                kind=incoming.validated_data["kind"],
                params=incoming.validated_data.get("params"),
                language=incoming.validated_data.get("language") or None,
            )
        except services.ReportQueueUnavailable as unavailable:
            job = self.get_queryset().get(pk=unavailable.job_id)
            return Response(
                {
                    "detail": _(
                        "Your report has been saved, but the report service cannot be reached just now. "
                        "It will start by itself when the service is back; follow it at the job's address."
                    ),
                    "job": self.get_serializer(job).data,
                },
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "60", "Location": reverse("api:report-detail", args=[job.pk])},
            )
        return Response(
            self.get_serializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("api:report-detail", args=[job.pk])},
        )

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The report file."),
            404: OpenApiResponse(description="No such report, or not yours to download."),
            409: OpenApiResponse(description="Not ready yet."),
            410: OpenApiResponse(description="The file has expired."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        outcome = download_or_refusal(request.user, job)
        if isinstance(outcome, FileResponse):
            return outcome
        code, message = outcome
        if code == 404:
            raise NotFound(message)
        return Response({"detail": message}, status=code)


def file_response(job: ReportJob) -> HttpResponse:
    """The report's file as an attachment, sent as SEMPRE_FILE_SERVING says (docs/operations.md):

    - `django` (default): streamed by Django from storage (FileResponse, in blocks);
    - `x-accel-redirect`: nginx sends it from its `internal` location SEMPRE_PROTECTED_MEDIA_URL;
    - `x-sendfile`: Apache's mod_xsendfile (or lighttpd) sends the file at its path.

    Either way Django has checked permission and written the audit line first. Raises
    FileNotFoundError when the file is gone."""
    mode = settings.SEMPRE_FILE_SERVING
    if mode == "django":
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename or None)
    if not job.file.storage.exists(job.file.name):
        raise FileNotFoundError(job.file.name)
    response = HttpResponse()
    response["Content-Disposition"] = content_disposition_header(True, job.filename or job.file.name)
    if mode == "x-accel-redirect":
        response["X-Accel-Redirect"] = settings.SEMPRE_PROTECTED_MEDIA_URL + quote(job.file.name)
    else:
        response["X-Sendfile"] = job.file.path
    return response


def download_or_refusal(user, job: ReportJob):
    """The file as an attachment, or (status code, message in plain words). Shared by the API and
    the web download, so both check permission again at download time."""
    if not services.report_may_download(user=user, job=job):
        return 404, _("There is no such report among the reports you may download.")
    if job.status == ReportJob.Status.EXPIRED:
        return 410, _("This report has expired and its file was deleted. Please ask for it again.")
    if not job.is_ready:
        return 409, _("This report is not ready yet.")
    kind = get_kind(job.kind)
    try:
        response = file_response(job)
    except FileNotFoundError:
        return 410, _("The file of this report is no longer there. Please ask for it again.")
    response["Content-Type"] = kind.content_type if kind else "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    if job.checksum:
        response["X-Checksum-SHA256"] = job.checksum
    audit.record(actor=user, action=audit.REPORT_DOWNLOAD, target=job, data={"kind": job.kind})
    return response


router = SimpleRouter()
router.register("reports", ReportJobViewSet, basename="report")

urlpatterns = router.urls
