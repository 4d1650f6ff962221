"""Accelerator API: rounds, criteria, applications, assignments, reviews, ranking, portfolio,
decisions and start-ups. Thin: serializers shape, services decide, selectors scope (404 for what
one may not see)."""

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from microprojects.selectors import projects_visible_to
from sempre.api_support import RulesPermission
from sempre.models import User
from sempre.rules import is_coordinator, is_reviewer

from . import selectors, services
from .eligibility import eligibility_by_project
from .models import (
    Application,
    Criterion,
    Decision,
    Milestone,
    MonthlyFigure,
    Review,
    ReviewAssignment,
    Round,
    StartUp,
)
from .ranking import round_rank

# Serializers -------------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    normalised_weight = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = [
            "id",
            "name",
            "description",
            "weight",
            "normalised_weight",
            "scale_min",
            "scale_max",
            "guidance",
            "order",
        ]
        extra_kwargs = {"order": {"required": False}}

    def get_normalised_weight(self, criterion) -> float | None:
        return (
            round(getattr(criterion, "normalised_weight", 0.0), 4)
            if hasattr(criterion, "normalised_weight")
            else None
        )


class RoundSerializer(serializers.ModelSerializer):
    application_count = serializers.IntegerField(read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "review_deadline",
            "places",
            "reviewers_per_application",
            "quotas",
            "tie_break",
            "blind_review",
            "normalisation",
            "questions",
            "status",
            "allowed_transitions",
            "application_count",
        ]
        read_only_fields = ["status"]

    def get_allowed_transitions(self, round) -> list[str]:
        return [str(s) for s in round.allowed_transitions]


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Round.Status.choices)


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
            "status",
            "submitted_by",
            "submitted_at",
            "decision",
            "review_count",
            "sbmc",
            "toc",
        ]
        read_only_fields = ["round", "status", "submitted_at"]

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
    project = serializers.IntegerField()
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


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
    application = serializers.IntegerField()
    reviewer = serializers.IntegerField()


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
    assignment = serializers.IntegerField()
    scores = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    recommendation = serializers.ChoiceField(
        choices=Review.Recommendation.choices, required=False, allow_blank=True, default=""
    )
    confidence = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=5, default=None
    )
    submit = serializers.BooleanField(required=False, default=False)


class DecisionSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="application.project.title", read_only=True)
    decided_by = serializers.CharField(source="decided_by.__str__", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "project_title",
            "outcome",
            "rationale",
            "quota_override_reason",
            "decided_by",
            "decided_at",
        ]


class DecisionWriteSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    rationale = serializers.CharField()
    quota_override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    quota_override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class StartUpSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="application.project.title", read_only=True)
    country = serializers.CharField(source="application.project.country.code", read_only=True)

    class Meta:
        model = StartUp
        fields = ["id", "application", "project_title", "country", "name", "legal_form", "founded", "stage"]
        read_only_fields = ["application", "stage"]


class FigureSerializer(serializers.ModelSerializer):
    self_sufficiency = serializers.DecimalField(max_digits=8, decimal_places=3, read_only=True)

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
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due", "done_on", "evidence"]


# Viewsets ----------------------------------------------------------------------------------------


def _flag(request, name, default=True) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


class RoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Accelerator rounds. Coordinators create and run them; everyone else sees open ones."""

    serializer_class = RoundSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": is_coordinator,
        "update": is_coordinator,
        "partial_update": is_coordinator,
        "transition": is_coordinator,
        "assignments": is_coordinator,
        "auto_assign": is_coordinator,
        "ranking": is_coordinator,
        "portfolio": is_coordinator,
        "decisions": is_coordinator,
        "close": is_coordinator,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.rounds_visible_to(self.request.user).order_by("-opens_at", "-id")

    def perform_create(self, serializer):
        serializer.instance = services.round_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.round_update(
            round=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=StatusSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        data = StatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round = services.round_transition(
            round=self.get_object(), by=request.user, status=data.validated_data["status"]
        )
        return Response(RoundSerializer(selectors.rounds_visible_to(request.user).get(pk=round.pk)).data)

    @extend_schema(request=CriterionSerializer, responses=CriterionSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def criteria(self, request, pk=None):
        round = self.get_object()
        if request.method == "POST":
            if not request.user.has_perm("accelerator.manage_round"):
                raise PermissionDenied()
            data = CriterionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.criterion_create(round=round, by=request.user, **data.validated_data)
        criteria = selectors.criteria_of(round)
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(CriterionSerializer(criteria, many=True).data, status=code)

    @extend_schema(request=ApplicationCreateSerializer, responses=ApplicationSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def applications(self, request, pk=None):
        """GET: the applications one may see in this round. POST: submit a project (social workers
        of its organisation, before the deadline)."""
        round = self.get_object()
        if request.method == "POST":
            data = ApplicationCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            project = get_object_or_404(projects_visible_to(request.user), pk=data.validated_data["project"])
            application = services.application_submit(
                round=round, project=project, by=request.user, answers=data.validated_data.get("answers")
            )
            application = selectors.application_list(request.user).get(pk=application.pk)
            return Response(
                ApplicationSerializer(application, context={"request": request}).data,
                status=status.HTTP_201_CREATED,
            )
        page = self.paginate_queryset(selectors.application_list(request.user, round))
        return self.get_paginated_response(
            ApplicationSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(responses=ProjectEligibilitySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def eligibility(self, request, pk=None):
        """Each of one's projects with the eligibility checks, explained; a page at a time, by title."""
        self.get_object()
        page = self.paginate_queryset(projects_visible_to(request.user).order_by("title", "pk"))
        checks = eligibility_by_project(page)
        rows = [{"project": project, "eligibility": checks[project.pk]} for project in page]
        return self.get_paginated_response(ProjectEligibilitySerializer(rows, many=True).data)

    @extend_schema(request=AssignmentCreateSerializer, responses=AssignmentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def assignments(self, request, pk=None):
        round = self.get_object()
        if request.method == "POST":
            data = AssignmentCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            application = get_object_or_404(Application, round=round, pk=data.validated_data["application"])
            reviewer = get_object_or_404(User, pk=data.validated_data["reviewer"], is_reviewer=True)
            assignment = services.assignment_create(
                application=application, reviewer=reviewer, by=request.user
            )
            return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
        queryset = (
            ReviewAssignment.objects.filter(application__round=round)
            .select_related("reviewer", "application__project", "review")
            .order_by("application_id", "pk")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(request=AutoAssignSerializer, responses=AssignmentSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="auto-assign")
    def auto_assign(self, request, pk=None):
        data = AutoAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.assignments_auto(
            round=self.get_object(),
            by=request.user,
            per_application=data.validated_data.get("per_application"),
        )
        ids = [a.pk for a in created]
        queryset = ReviewAssignment.objects.filter(pk__in=ids).select_related(
            "reviewer", "application__project"
        )
        return Response(AssignmentSerializer(queryset, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "normalise", bool, description=str(_("Reviewer normalisation on (default) or off."))
            ),
            OpenApiParameter("draws", int, description=str(_("Monte Carlo draws for stability (0-5000)."))),
            OpenApiParameter("seed", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """Totals, mean, median, spread, rank, P(top N), label and explanation per application."""
        round = self.get_object()
        try:
            draws = max(0, min(5000, int(request.query_params.get("draws", 2000))))
            seed = int(request.query_params.get("seed", 20240601))
        except ValueError:
            return Response(
                {"draws": [str(_("A whole number, please."))]}, status=status.HTTP_400_BAD_REQUEST
            )
        ranking = round_rank(round=round, normalise=_flag(request, "normalise"), draws=draws, seed=seed)
        data = asdict(ranking)
        data["weights"] = {str(k): v for k, v in ranking.weights.items()}
        return Response(data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def portfolio(self, request, pk=None):
        """The best `places` applications that satisfy the quotas, exactly, next to the
        unconstrained top N and the score given up."""
        round = self.get_object()
        return Response(selectors.round_portfolio(round=round, normalise=_flag(request, "normalise")))

    @extend_schema(request=DecisionWriteSerializer, responses=DecisionSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def decisions(self, request, pk=None):
        round = self.get_object()
        if request.method == "POST":
            data = DecisionWriteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            application = get_object_or_404(Application, round=round, pk=values.pop("application"))
            decision = services.decision_record(application=application, by=request.user, **values)
            return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.decisions_of(round).order_by("application_id"))
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)

    @extend_schema(request=CloseSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the decision: freezes the immutable record and notifies the applicants."""
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.round_close_decision(
            round=self.get_object(), by=request.user, **data.validated_data
        )
        return Response(
            {"inputs_sha256": record.inputs_sha256, "closed_at": record.closed_at, "payload": record.payload}
        )


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications one may see: coordinators all, social workers their organisation's, reviewers
    those assigned to them (others answer 404)."""

    serializer_class = ApplicationSerializer
    permission_classes = [RulesPermission]

    def get_queryset(self):
        return selectors.application_list(self.request.user).select_related("sbmc_snapshot", "toc_snapshot")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}


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

    @extend_schema(request=FigureSerializer, responses=FigureSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def figures(self, request, pk=None):
        startup = self.get_object()
        if request.method == "POST":
            data = FigureSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            figure = services.figure_record(startup=startup, by=request.user, **data.validated_data)
            return Response(FigureSerializer(figure).data, status=status.HTTP_201_CREATED)
        return Response(FigureSerializer(startup.figures.order_by("month"), many=True).data)

    @extend_schema(request=MilestoneSerializer, responses=MilestoneSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def milestones(self, request, pk=None):
        startup = self.get_object()
        if request.method == "POST":
            data = MilestoneSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            milestone = services.milestone_create(startup=startup, by=request.user, **data.validated_data)
            return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)
        return Response(MilestoneSerializer(startup.milestones.order_by("due", "pk"), many=True).data)


router = SimpleRouter()
router.register("rounds", RoundViewSet, basename="round")
router.register("applications", ApplicationViewSet, basename="application")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("reviews", ReviewViewSet, basename="review")
router.register("startups", StartUpViewSet, basename="startup")

urlpatterns = router.urls
