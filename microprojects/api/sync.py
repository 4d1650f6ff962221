"""The batch of entries a device sends when it is online again (POST /api/v1/sync/, docs/offline.md)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from sempre.api_support import RulesPermission, validation_error_detail
from sempre.rules import is_org_staff

from .. import selectors, services
from ..models import Activity, Indicator, Measurement, MicroProject
from .records import CLIENT_UUID_HELP, CONFIRM_HELP

# Entries per batch at most: a device with more sends them in several batches.
SYNC_MAX_ENTRIES = 100
# SQL queries an entry costs at most, whatever the batch holds (tests/microprojects/api/test_sync.py):
# its project or indicator, its client_uuid, the user and constraint checks, the savepoints and the
# INSERT (a measurement's history row too).
SYNC_QUERIES_PER_ENTRY = 9


class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    """A project id; a project one may not see is "does not exist", as any other unknown id."""

    def get_queryset(self):
        return selectors.projects_visible_to(self.context["request"].user)


class RecordableIndicatorField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.indicators_to_record(self.context["request"].user)


class SyncActivitySerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=["activity"])
    client_uuid = serializers.UUIDField(help_text=CLIENT_UUID_HELP.format(parent="project"))
    project = VisibleProjectField(queryset=MicroProject.objects.none())
    confirm = serializers.BooleanField(write_only=True, default=False, help_text=CONFIRM_HELP)

    class Meta:
        model = Activity
        fields = [
            "type",
            "client_uuid",
            "project",
            "date",
            "kind",
            "title",
            "notes",
            "staff_hours",
            "volunteer_hours",
            *Activity.COUNT_FIELDS,
            "confirm",
        ]


class SyncMeasurementSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=["measurement"])
    client_uuid = serializers.UUIDField(help_text=CLIENT_UUID_HELP.format(parent="indicator"))
    indicator = RecordableIndicatorField(queryset=Indicator.objects.none())

    class Meta:
        model = Measurement
        fields = ["type", "client_uuid", "indicator", "date", "value", "note"]


SYNC_SERIALIZERS = {"activity": SyncActivitySerializer, "measurement": SyncMeasurementSerializer}


class SyncSerializer(serializers.Serializer):
    # Each entry is read on its own (SyncViewSet._entry), so that one bad entry refuses itself only.
    entries = serializers.ListField(child=serializers.JSONField(), max_length=SYNC_MAX_ENTRIES)


class SyncSchemaSerializer(serializers.Serializer):
    """The request as the schema tells it: a list of activities and measurements by `type`."""

    entries = PolymorphicProxySerializer(
        component_name="SyncEntry",
        serializers=SYNC_SERIALIZERS,
        resource_type_field_name="type",
        many=True,
    )

    class Meta:
        ref_name = "SyncRequest"


class SyncResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The entry's place in `entries`, from 0.")
    type = serializers.CharField(allow_null=True)
    client_uuid = serializers.UUIDField(allow_null=True, help_text="As sent; null if it was not a UUID.")
    status = serializers.ChoiceField(
        choices=["stored", "already_stored", "refused"],
        help_text="stored: stored now; already_stored: stored by an earlier send of the same "
        "client_uuid (nothing changed); refused: nothing stored, see `errors`.",
    )
    id = serializers.IntegerField(allow_null=True, help_text="The stored activity's or measurement's id.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        allow_null=True,
        help_text="Why the entry was refused, by field, as a 400 answer of the single endpoint would say.",
    )

    needs_confirmation = serializers.BooleanField(
        help_text="True when the only errors are figures unusual for one activity: send the entry "
        "again with confirm: true if they are right."
    )


class SyncResultsSerializer(serializers.Serializer):
    results = SyncResultSerializer(many=True)


class SyncViewSet(viewsets.GenericViewSet):
    """Entries made on a device while it was offline, sent together (docs/offline.md)."""

    permission_classes = [RulesPermission]
    rules_permissions = {"create": is_org_staff}
    serializer_class = SyncSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        request=SyncSchemaSerializer,
        responses={200: SyncResultsSerializer},
        description=(
            f"Up to {SYNC_MAX_ENTRIES} activities and measurements made on a device, each with its "
            "client_uuid, answered one result per entry in the order sent: stored, already_stored (the same "
            "client_uuid was stored before: nothing changes) or refused (nothing of that entry "
            "is stored; `errors` by field, as the single endpoints' 400 would say). Each entry "
            "is stored or refused on its own: one refused entry does not hold back the others, "
            "and a batch cut off halfway can be sent again whole. An entry takes at most "
            f"{SYNC_QUERIES_PER_ENTRY} SQL queries, whatever the batch holds."
        ),
    )
    def create(self, request, *args, **kwargs):
        batch = SyncSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        return Response(
            {"results": [self._entry(i, raw) for i, raw in enumerate(batch.validated_data["entries"])]}
        )

    def _entry(self, index, raw) -> dict:
        raw = raw if isinstance(raw, dict) else {}
        kind = raw.get("type")
        result = {
            "index": index,
            "type": kind,
            "client_uuid": _uuid_or_none(raw.get("client_uuid")),
            "status": "refused",
            "id": None,
            "errors": None,
            "needs_confirmation": False,
        }
        if serializer_class := SYNC_SERIALIZERS.get(kind if isinstance(kind, str) else None):
            serializer = serializer_class(data=raw, context=self.get_serializer_context())
            if serializer.is_valid():
                return result | self._store(kind, dict(serializer.validated_data))
            result["errors"] = serializer.errors
        else:
            result["type"] = None
            result["errors"] = {"type": [_("Say what the entry is: “activity” or “measurement”.")]}
        return result

    def _store(self, kind, data) -> dict:
        del data["type"]
        parent = "project" if kind == "activity" else "indicator"
        try:
            if kind == "activity":
                row, is_new = services.activity_log_once(
                    project=data.pop("project"), by=self.request.user, **data
                )
            else:
                row, is_new = services.measurement_record_once(
                    indicator=data.pop("indicator"), by=self.request.user, **data
                )
        except DjangoValidationError as error:
            codes = {e.code for field_errors in error.error_dict.values() for e in field_errors}
            return {"errors": validation_error_detail(error), "needs_confirmation": codes == {"unusual"}}
        except PermissionDenied as error:
            return {"errors": {parent: [str(error)]}}
        return {"status": "stored" if is_new else "already_stored", "id": row.pk}


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
