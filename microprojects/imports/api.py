"""API of imports: POST /imports/ (a file in, a job out: 202), GET /imports/{id}/ (its status
and dry run), POST /imports/{id}/confirm/. Thin: the services do the work."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from sempre.api_support import RulesPermission
from sempre.models import Organisation
from sempre.rules import is_org_staff

from ..models import ColumnMapping, ImportJob, MicroProject
from . import files, services
from .selectors import column_mappings_visible_to, import_jobs_visible_to


class ImportJobSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    counts = serializers.SerializerMethodField()
    result_counts = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "organisation",
            "source",
            "filename",
            "mapping",
            "project",
            "status",
            "status_label",
            "counts",
            "dry_run",
            "result_counts",
            "result",
            "created_at",
            "checked_at",
            "imported_at",
        ]
        read_only_fields = fields

    def get_counts(self, job) -> dict[str, dict[str, int]]:
        """Per sheet, how many rows the dry run would create, change, leave unchanged, or found errors in."""
        return services.counts_of(job.dry_run)

    def get_result_counts(self, job) -> dict[str, dict[str, int]]:
        """The same, of the import once done."""
        return services.counts_of(job.result)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The SEMPRE spreadsheet (.xlsx) or a KoboToolbox export (.csv)", allow_empty_file=True
    )
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none(), required=False)
    mapping = serializers.PrimaryKeyRelatedField(queryset=ColumnMapping.objects.none(), required=False)
    project = serializers.PrimaryKeyRelatedField(queryset=MicroProject.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # none when the schema is generated
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        ids = user.organisation_ids
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        self.fields["mapping"].queryset = column_mappings_visible_to(user)
        self.fields["project"].queryset = MicroProject.objects.filter(organisation_id__in=ids)


class ImportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Imports of your organisations: upload a file, follow its dry run, confirm it."""

    serializer_class = ImportJobSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {"create": is_org_staff, "confirm": "microprojects.view_import"}
    ordering_fields = ["created_at"]
    search_fields = []
    filterset_fields = ["status"]

    def get_queryset(self):
        return import_jobs_visible_to(self.request.user).order_by("-created_at", "-id")

    # A file comes as multipart; confirm has no body (JSON accepted too).
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            202: ImportJobSerializer,
            400: OpenApiResponse(description="Not a file SEMPRE can read, or another field's error (named)."),
        },
    )
    def create(self, request, *args, **kwargs):
        incoming = ImportUploadSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        uploaded = data["file"]
        job = services.import_upload(
            by=request.user,
            content=uploaded.read(files.MAX_BYTES + 1),
            filename=uploaded.name or "",
            organisation=data.get("organisation"),
            mapping=data.get("mapping"),
            project=data.get("project"),
        )
        return Response(
            self.get_serializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("api:import-detail", args=[job.pk])},
        )

    @extend_schema(
        request=None,
        responses={
            202: ImportJobSerializer,
            400: OpenApiResponse(description="The dry run found errors, or has not finished."),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Import a file whose dry run found no errors (again: nothing more happens)."""
        job = services.import_confirm(job=self.get_object(), by=request.user)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)


router = SimpleRouter(use_regex_path=False)
router.register("imports", ImportJobViewSet, basename="import")

urlpatterns = router.urls
