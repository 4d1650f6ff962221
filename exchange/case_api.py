"""/api/v1/cases/: practice cases (docs/exchange.md, "Practice cases"). Thin: serializers shape,
services decide (exchange.services.cases), selectors scope — a case one may not see is a 404 —
and exchange.rules decide who may act (403 for a case one sees but may not act on)."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from microprojects.models import Indicator
from sempre.api_support import MAX_ID, RulesPermission
from sempre.rules import is_org_staff
from toolkit.models import Outcome, Snapshot

from .forms import CaseApiFilterForm
from .models import Case, CaseMessage, CaseThread, Method
from .selectors import (
    case_figures,
    case_list,
    case_quotes,
    case_threads,
    cases_visible_to,
    projects_to_adapt_into,
)
from .services import cases as services


def _id_field(queryset, **kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=queryset, **kwargs)


class SnapshotRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tool = serializers.CharField(source="instance.template.slug")
    taken_at = serializers.DateTimeField(source="created_at")


class CaseListSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="project.country.code")
    organisation = serializers.CharField(source="project.organisation.name")
    methods = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "summary",
            "status",
            "language",
            "country",
            "organisation",
            "methods",
            "published_at",
        ]


class QuotedStorySerializer(serializers.Serializer):
    """A client's story as a case quotes it: the words, the teller's nickname at most, never a
    recording."""

    id = serializers.IntegerField()
    what_changed = serializers.CharField()
    why_important = serializers.CharField()
    nickname = serializers.CharField(allow_null=True)
    language = serializers.CharField()

    def to_representation(self, story):
        return {
            "id": story.pk,
            "what_changed": story.what_changed,
            "why_important": story.why_important,
            "nickname": story.nickname or None,
            "language": story.language,
        }


class CaseSerializer(CaseListSerializer):
    """A case as its page shows it. The project's id only for those who may see the project."""

    project = serializers.SerializerMethodField()
    steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    outcomes = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()
    canvas_snapshot = SnapshotRefSerializer(allow_null=True)
    toc_snapshot = SnapshotRefSerializer(allow_null=True)
    photos = serializers.SerializerMethodField()
    quoted_stories = serializers.SerializerMethodField()
    return_reason = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "project",
            "problem",
            "what_we_did",
            "steps",
            "what_changed",
            "outcomes",
            "figures",
            "lessons",
            "costs_and_time",
            "contact_role",
            "canvas_snapshot",
            "toc_snapshot",
            "photos",
            "quoted_stories",
            "return_reason",
            "submitted_at",
        ]

    def _user(self):
        return self.context["request"].user

    def get_project(self, case) -> int | None:
        return (
            case.project_id
            if self._user().has_perm("microprojects.view_microproject", case.project)
            else None
        )

    def get_outcomes(self, case) -> list[dict]:
        return [{"id": o.pk, "text": o.text, "level": o.level} for o in case.outcomes.all()]

    def get_figures(self, case) -> list[dict]:
        return [
            {
                key: (str(value) if value is not None and key in ("baseline", "target", "latest") else value)
                for key, value in row.items()
            }
            for row in case_figures(case)
        ]

    def get_photos(self, case) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "id": photo.pk,
                "caption": photo.caption,
                "url": request.build_absolute_uri(f"/exchange/cases/{case.pk}/photos/{photo.pk}/"),
            }
            for photo in case.photos.all()
        ]

    @extend_schema_field(QuotedStorySerializer(many=True))
    def get_quoted_stories(self, case) -> list[dict]:
        """Read at each answer through the stories' consent (`case_quotes`): a withdrawn story, or
        one no longer consented for cases, is not listed."""
        return QuotedStorySerializer(case_quotes(case), many=True).data

    def get_return_reason(self, case) -> str:
        return (
            case.return_reason if services.is_team(self._user(), case) or self._user().is_coordinator else ""
        )


class CaseWriteSerializer(serializers.Serializer):
    """What a team writes: the texts, the methods (slugs), the project's own outcomes, indicators
    and snapshots (ids)."""

    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(max_length=2000, required=False)
    problem = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    what_we_did = serializers.CharField(max_length=6000, required=False, allow_blank=True)
    what_changed = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    lessons = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    costs_and_time = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    contact_role = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=list(settings.LANGUAGES), required=False)
    methods = serializers.SlugRelatedField(
        slug_field="slug", queryset=Method.objects.all(), many=True, required=False
    )
    outcomes = _id_field(Outcome.objects.all(), many=True, required=False)
    indicators = _id_field(Indicator.objects.all(), many=True, required=False)
    canvas_snapshot = _id_field(
        Snapshot.objects.select_related("instance__template"), required=False, allow_null=True
    )
    toc_snapshot = _id_field(
        Snapshot.objects.select_related("instance__template"), required=False, allow_null=True
    )
    quoted_stories = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=100,
        help_text="Ids of the project's stories of change to quote; only those whose tellers let "
        "them be quoted in a practice case.",
    )


class CaseCreateSerializer(CaseWriteSerializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=2000)


class PublishSerializer(serializers.Serializer):
    confirmed = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=500,
        help_text="Keys of privacy findings the coordinator confirms as not personal data.",
    )


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AdaptSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ContactSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    share_email = serializers.BooleanField(
        required=False, default=False, help_text="Show the writer's e-mail address to the other side."
    )


FINDINGS_ANSWER = inline_serializer(
    "CaseFindings",
    {
        "detail": serializers.CharField(),
        "findings": serializers.ListField(child=serializers.DictField()),
    },
)


class CaseMessageSerializer(serializers.ModelSerializer):
    # Null unless the writer chose to share their address with this message.
    shared_email = serializers.EmailField(read_only=True, allow_null=True)

    class Meta:
        model = CaseMessage
        fields = ["id", "from_team", "text", "share_email", "shared_email", "created_at"]
        read_only_fields = ["share_email"]


class CaseThreadSerializer(serializers.ModelSerializer):
    """A conversation: the asking organisation by name, the messages by side (the team or the
    asking organisation), never by person; a writer's address only on a message where they chose
    to share it (`shared_email`)."""

    organisation = serializers.CharField(source="organisation.name")
    messages = CaseMessageSerializer(many=True)

    class Meta:
        model = CaseThread
        fields = ["id", "organisation", "messages", "updated_at"]


class ReplySerializer(ContactSerializer):
    pass


SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]*$", "maxLength": 50}
FILTERS = [
    OpenApiParameter(
        "search", {"type": "string", "maxLength": 200}, description="Words in the case's texts (full-text)."
    ),
    OpenApiParameter(
        "country",
        OpenApiTypes.STR,
        enum=sorted({code for code, _name in countries if code}),
        description="ISO code of the project's country, such as SE.",
    ),
    OpenApiParameter("target_group", SLUG, description="A target group's slug (another finds no case)."),
    OpenApiParameter(
        "method", SLUG, description="A method's slug, such as photovoice (another finds no case)."
    ),
    OpenApiParameter(
        "outcome", {"type": "string", "maxLength": 100}, description="Words of a linked ToC outcome's text."
    ),
    OpenApiParameter("language", OpenApiTypes.STR, enum=[code for code, _name in settings.LANGUAGES]),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Case.Status.values),
]


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases one may see: the team and coordinators every state of theirs / all, every staff member
    the published ones; others see none (404)."""

    permission_classes = [RulesPermission]
    filter_backends = []
    rules_permissions = {
        "create": is_org_staff,
        "partial_update": "exchange.change_case",
        "submit": "exchange.submit_case",
        "publish": "exchange.review_case",
        "return_": "exchange.review_case",
        "unpublish": "exchange.unpublish_case",
        "adapt": "exchange.adapt_case",
        "contact": "exchange.contact_case",
    }

    def get_queryset(self):
        if self.action == "list":
            form = CaseApiFilterForm(self.request.query_params)
            if not form.is_valid():
                raise ValidationError(form.errors)
            return case_list(self.request.user, **form.selector_arguments())
        return (
            cases_visible_to(self.request.user)
            .select_related(
                "project__organisation",
                "canvas_snapshot__instance__template",
                "toc_snapshot__instance__template",
            )
            .prefetch_related("methods", "outcomes", "photos")
        )

    def get_serializer_class(self):
        return CaseListSerializer if self.action == "list" else CaseSerializer

    def _answer(self, case, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(CaseSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        """Cases the reader may see, newest first, filtered."""
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        """A new draft case of one of the reader's own projects."""
        data = CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        project = projects_to_adapt_into(request.user).filter(pk=values.pop("project")).first()
        if project is None:
            raise ValidationError(
                {"project": [_("Choose a draft or active project of your own organisation.")]}
            )
        case = services.case_create(project=project, by=request.user, **values)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseWriteSerializer, responses=CaseSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change a draft or returned case."""
        case = self.get_object()
        data = CaseWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        for name in ("canvas_snapshot", "toc_snapshot"):
            values.setdefault(name, ...)
        case = services.case_update(case=case, by=request.user, **values)
        return self._answer(case)

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Ask the coordinators to publish the case."""
        return self._answer(services.case_submit(case=self.get_object(), by=request.user))

    @extend_schema(request=PublishSerializer, responses={200: CaseSerializer, 409: FINDINGS_ANSWER})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a submitted case (coordinators). While the privacy check has findings not
        confirmed in `confirmed`, 409 lists them and nothing is published."""
        case = self.get_object()
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = services.case_publish(
                case=case, by=request.user, confirmed=data.validated_data.get("confirmed", [])
            )
        except services.CaseHasFindings as error:
            return Response(
                {
                    "detail": _("Confirm each finding as not personal data, or return the case."),
                    "findings": [finding.as_dict() for finding in error.findings],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return self._answer(case)

    @extend_schema(request=ReturnSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send a submitted case back to its team with a reason (coordinators)."""
        case = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.case_return(case=case, by=request.user, **data.validated_data))

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Take a published case back to draft (its team or a coordinator)."""
        return self._answer(services.case_unpublish(case=self.get_object(), by=request.user))

    @extend_schema(
        request=AdaptSerializer,
        responses={
            201: inline_serializer(
                "CaseAdapted", {"tools": serializers.ListField(child=serializers.IntegerField())}
            )
        },
    )
    @action(detail=True, methods=["post"])
    def adapt(self, request, pk=None):
        """Copy the case's canvas and Theory of Change snapshots into one of the reader's projects."""
        case = self.get_object()
        data = AdaptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = projects_to_adapt_into(request.user).filter(pk=data.validated_data["project"]).first()
        if project is None:
            raise ValidationError(
                {"project": [_("Choose a draft or active project of your own organisation.")]}
            )
        tools = services.case_adapt(case=case, project=project, by=request.user)
        return Response({"tools": [tool.pk for tool in tools]}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ContactSerializer,
        responses={201: inline_serializer("CaseMessageSent", {"thread": serializers.IntegerField()})},
    )
    @action(detail=True, methods=["post"])
    def contact(self, request, pk=None):
        """Ask the case's team a question (in the platform; the team is told by e-mail)."""
        case = self.get_object()
        data = ContactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.case_contact(
            case=case,
            by=request.user,
            text=data.validated_data["text"],
            share_email=data.validated_data["share_email"],
        )
        return Response({"thread": message.thread_id}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CaseThreadSerializer(many=True))
    @action(detail=True, methods=["get"])
    def threads(self, request, pk=None):
        """The conversations about the case the reader takes part in: all of them for its team,
        their own organisation's for anybody else."""
        threads = case_threads(request.user, self.get_object()).prefetch_related(
            Prefetch(
                "messages", queryset=CaseMessage.objects.select_related("author").order_by("created_at", "pk")
            )
        )
        return Response(CaseThreadSerializer(threads, many=True).data)

    @extend_schema(
        request=ReplySerializer,
        responses={201: CaseMessageSerializer},
        parameters=[OpenApiParameter("thread_pk", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"threads/(?P<thread_pk>[0-9]+)/reply", url_name="reply")
    def reply(self, request, pk=None, thread_pk=None):
        """Write in one of those conversations (the team, or the asking organisation)."""
        thread = case_threads(request.user, self.get_object()).filter(pk=int(thread_pk)).first()
        if thread is None:
            raise NotFound()
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.thread_reply(
            thread=thread,
            by=request.user,
            text=data.validated_data["text"],
            share_email=data.validated_data["share_email"],
        )
        return Response(CaseMessageSerializer(message).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = router.urls
