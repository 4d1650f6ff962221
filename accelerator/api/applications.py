"""Applications, reviewers' assignments and reviews: what an applicant, a reviewer or a
coordinator reads of them, and the reviewer's own writes (conflict of interest, review)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from sempre.api_support import MAX_ID, RulesPermission
from sempre.rules import is_reviewer

from .. import selectors, services
from ..models import Application, Review, ReviewAssignment


def _scrub_people(data):
    """Snapshot content without people's names (client pseudonyms), for blind review."""
    if isinstance(data, dict):
        return {
            k: _scrub_people(v) for k, v in data.items() if k not in {"client_label", "created_by", "author"}
        }
    if isinstance(data, list):
        return [_scrub_people(v) for v in data]
    return data


class ApplicationSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    organisation = serializers.SerializerMethodField()
    country = serializers.CharField(source="project.country.code", read_only=True)
    submitted_by = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    review_count = serializers.IntegerField(source="submitted_reviews", read_only=True, default=None)
    sbmc = serializers.SerializerMethodField()
    toc = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()
    language = serializers.CharField(
        read_only=True, help_text=_("The language the application is written in (a code of the platform's).")
    )
    language_name = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "round",
            "project",
            "project_title",
            "organisation",
            "country",
            "answers",
            "language",
            "language_name",
            "status",
            "submitted_by",
            "submitted_at",
            "edited_at",
            "withdrawn_at",
            "decision",
            "review_count",
            "sbmc",
            "toc",
            "figures",
        ]
        read_only_fields = ["round", "status", "submitted_at", "edited_at", "withdrawn_at"]

    def get_language_name(self, application) -> str:
        """The language's name in the reader's language ("Swedish"), "" when none was recorded."""
        return selectors.language_name(application.language)

    def _blind(self, application) -> bool:
        """Blind review: a reviewer of a blind round sees no organisation and no people's names."""
        return not self.context["request"].user.has_perm("accelerator.view_applicant_identity", application)

    def get_organisation(self, application) -> str | None:
        return None if self._blind(application) else application.project.organisation.name

    def get_submitted_by(self, application) -> str | None:
        if self._blind(application) or application.submitted_by is None:
            return None
        return str(application.submitted_by)

    def get_decision(self, application) -> dict | None:
        """Coordinators see decisions as they are taken; applicants once the round is decided."""
        decision = getattr(application, "decision", None)
        if decision is None or not self.context["request"].user.has_perm(
            "accelerator.view_decision", application
        ):
            return None
        return {"outcome": decision.outcome, "rationale": decision.rationale}

    def _snapshot(self, application, field) -> dict | None:
        """The frozen tool content, on the detail view only (lists stay light)."""
        if not self.context.get("detail"):
            return None
        snapshot = getattr(application, field)
        if snapshot is None:
            return None
        return _scrub_people(snapshot.data) if self._blind(application) else snapshot.data

    def get_sbmc(self, application) -> dict | None:
        return self._snapshot(application, "sbmc_snapshot")

    def get_toc(self, application) -> dict | None:
        return self._snapshot(application, "toc_snapshot")

    def get_figures(self, application) -> dict | None:
        """The project's key figures frozen at submission (counts only), on the detail view."""
        if not self.context.get("detail"):
            return None
        return application.figures or None


class EligibilityCheckSerializer(serializers.Serializer):
    label = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField(help_text=_("What is missing, when the check did not pass."))


class ProjectEligibilitySerializer(serializers.Serializer):
    """One project and whether it may apply to a round, check by check."""

    project = serializers.IntegerField(source="project.pk")
    title = serializers.CharField(source="project.title")
    eligible = serializers.BooleanField(source="eligibility.eligible")
    checks = EligibilityCheckSerializer(many=True, source="eligibility.checks")


class ApplicationCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    language = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The language the answers are written in; default: the submitter's language."),
    )


class ApplicationUpdateSerializer(serializers.Serializer):
    """What an applicant may change until the round closes (docs/accelerator.md)."""

    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    language = serializers.CharField(required=False)
    refreeze = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Replace the frozen canvas, Theory of Change and key figures with the project's current ones."
        ),
    )


class AssignmentSerializer(serializers.ModelSerializer):
    reviewer_name = serializers.CharField(source="reviewer.__str__", read_only=True)
    project_title = serializers.CharField(source="application.project.title", read_only=True)
    review_submitted = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "application",
            "project_title",
            "reviewer",
            "reviewer_name",
            "status",
            "same_country",
            "conflict_reason",
            "review_submitted",
        ]
        read_only_fields = ["status", "same_country", "conflict_reason"]

    def get_review_submitted(self, assignment) -> bool:
        review = getattr(assignment, "review", None)
        return bool(review and review.submitted_at)


class AssignmentCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reviewer = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class AutoAssignSerializer(serializers.Serializer):
    per_application = serializers.IntegerField(min_value=1, required=False)


class ConflictSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReviewSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="assignment.application_id", read_only=True)
    project_title = serializers.CharField(source="assignment.application.project.title", read_only=True)
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "assignment",
            "application",
            "project_title",
            "scores",
            "comment",
            "recommendation",
            "confidence",
            "submitted_at",
        ]

    def get_scores(self, review) -> dict:
        return {str(s.criterion_id): s.value for s in review.scores.all()}


class ReviewWriteSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    scores = serializers.DictField(child=serializers.IntegerField(allow_null=True, min_value=1, max_value=5))
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    recommendation = serializers.ChoiceField(
        choices=Review.Recommendation.choices, required=False, allow_blank=True, default=""
    )
    confidence = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=5, default=None
    )
    submit = serializers.BooleanField(required=False, default=False)


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications one may see: coordinators all, social workers their organisation's, reviewers
    those assigned to them and not withdrawn (others answer 404). The applicant may change
    (PATCH) or withdraw (POST withdraw/) an application until the round closes."""

    serializer_class = ApplicationSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "partial_update": "accelerator.change_application",
        "withdraw": "accelerator.change_application",
    }

    def get_queryset(self):
        return selectors.application_list(self.request.user).select_related("sbmc_snapshot", "toc_snapshot")

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "detail": self.action in ("retrieve", "partial_update", "withdraw"),
        }

    def _answer(self, application):
        fresh = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change the answers, the language or (`"refreeze": true`) the frozen tools, until the round
        closes; afterwards 400 {"round": [...]}."""
        application = self.get_object()  # first: someone else's application is 404, whatever the body
        data = ApplicationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_update(
            application=application, by=request.user, **data.validated_data
        )
        return self._answer(application)

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the application (until the round closes; recorded in the audit log)."""
        application = services.application_withdraw(application=self.get_object(), by=request.user)
        return self._answer(application)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A reviewer's own assignments."""

    serializer_class = AssignmentSerializer
    permission_classes = [RulesPermission]

    def get_queryset(self):
        return selectors.assignments_of_reviewer(self.request.user).select_related("reviewer")

    @extend_schema(request=ConflictSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def conflict(self, request, pk=None):
        """Declare a conflict of interest: the assignment is withdrawn."""
        assignment = self.get_object()  # first: someone else's assignment is 404, whatever the body
        data = ConflictSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.assignment_declare_conflict(
            assignment=assignment, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(AssignmentSerializer(assignment).data)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A reviewer's own reviews. POST saves a draft or, with `"submit": true`, submits."""

    serializer_class = ReviewSerializer
    queryset = Review.objects.none()  # for the schema; requests use get_queryset
    permission_classes = [RulesPermission]
    rules_permissions = {"create": is_reviewer}

    def get_queryset(self):
        return selectors.reviews_of(self.request.user)

    @extend_schema(request=ReviewWriteSerializer, responses=ReviewSerializer)
    def create(self, request, *args, **kwargs):
        data = ReviewWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        assignment = (
            selectors.assignments_of_reviewer(request.user).filter(pk=values.pop("assignment")).first()
        )
        if assignment is None:
            raise NotFound()
        review = services.review_save(assignment=assignment, by=request.user, **values)
        return Response(
            ReviewSerializer(self.get_queryset().get(pk=review.pk)).data, status=status.HTTP_201_CREATED
        )
