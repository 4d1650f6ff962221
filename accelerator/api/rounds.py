"""Rounds and everything a coordinator runs from a round: criteria, applications, eligibility,
assignments, ranking, portfolio, decisions and closing."""

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from microprojects.selectors import projects_visible_to
from sempre.api_support import MAX_ID, RulesPermission
from sempre.models import User
from sempre.rules import is_coordinator

from .. import selectors, services
from ..eligibility import eligibility_by_project
from ..models import Application, Criterion, Decision, ReviewAssignment, Round
from .applications import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    AssignmentCreateSerializer,
    AssignmentSerializer,
    AutoAssignSerializer,
    ProjectEligibilitySerializer,
)


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
    confirm = serializers.BooleanField(
        default=False,
        help_text=_(
            "Required to move the round to reviewing before applications close, or to deciding while "
            "reviews are outstanding; without it the answer is 400 with `confirm` saying what is missing."
        ),
    )


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
    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    rationale = serializers.CharField()
    quota_override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    quota_override_reason = serializers.CharField(required=False, allow_blank=True, default="")


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
        round = services.round_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=round.pk)  # with its application_count

    def perform_update(self, serializer):
        round = services.round_update(
            round=serializer.instance, by=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=round.pk)  # with its application_count

    @extend_schema(request=StatusSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        data = StatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round = services.round_transition(
            round=self.get_object(),
            by=request.user,
            status=data.validated_data["status"],
            confirm=data.validated_data["confirm"],
        )
        return Response(RoundSerializer(selectors.rounds_visible_to(request.user).get(pk=round.pk)).data)

    @extend_schema(methods=["GET"], responses=CriterionSerializer(many=True))
    @extend_schema(methods=["POST"], request=CriterionSerializer, responses={201: CriterionSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def criteria(self, request, pk=None):
        """GET: the round's criteria, a page at a time, each with its weight normalised over all of
        them. POST: add one; the answer is the new criterion with its normalised weight."""
        round = self.get_object()
        if request.method == "POST":
            if not request.user.has_perm("accelerator.manage_round"):
                raise PermissionDenied()
            data = CriterionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            created = services.criterion_create(round=round, by=request.user, **data.validated_data)
            criterion = next(c for c in selectors.criteria_of(round) if c.pk == created.pk)
            return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.criteria_of(round))
        return self.get_paginated_response(CriterionSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=ApplicationSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ApplicationCreateSerializer, responses={201: ApplicationSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def applications(self, request, pk=None):
        """GET: the applications one may see in this round. POST: submit a project (social workers
        of its organisation, before the deadline)."""
        round = self.get_object()
        if request.method == "POST":
            data = ApplicationCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            project = get_object_or_404(projects_visible_to(request.user), pk=data.validated_data["project"])
            application = services.application_submit(
                round=round,
                project=project,
                by=request.user,
                answers=data.validated_data.get("answers"),
                language=data.validated_data.get("language", ""),
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

    @extend_schema(methods=["GET"], responses=AssignmentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=AssignmentCreateSerializer, responses={201: AssignmentSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
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
        page = self.paginate_queryset(selectors.assignments_of_round(round))
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(
        request=AutoAssignSerializer,
        # The assignments this call made (not a list resource: every one of them, unpaged).
        responses={201: AssignmentSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="auto-assign", filter_backends=[], pagination_class=None)
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
            OpenApiParameter(
                "page_size",
                int,
                description=str(_("Rows per page (1-1000); without it, every row. `count` says how many.")),
            ),
            OpenApiParameter("page", int, description=str(_("Page number, from 1 (with page_size)."))),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """Totals, mean, median, spread, rank, P(top N), label and explanation per application;
        a page of the rows with `page_size` (and `page`)."""
        round = self.get_object()
        try:
            draws = max(0, min(5000, int(request.query_params.get("draws", 2000))))
            seed = int(request.query_params.get("seed", 20240601))
        except ValueError:
            return Response(
                {"draws": [str(_("A whole number, please."))]}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            page_size = request.query_params.get("page_size")
            page_size = max(1, min(1000, int(page_size))) if page_size else None
            page = max(1, int(request.query_params.get("page", 1)))
        except ValueError:
            return Response(
                {"page_size": [str(_("A whole number, please."))]}, status=status.HTTP_400_BAD_REQUEST
            )
        ranking = selectors.round_ranking(
            round=round, normalise=_flag(request, "normalise"), draws=draws, seed=seed
        )
        count = len(ranking.rows)
        # A page reads only its rows from the cache (selectors.round_ranking); without page_size, all.
        ranking.rows = (
            ranking.rows[(page - 1) * page_size : page * page_size] if page_size else list(ranking.rows)
        )
        data = asdict(ranking)
        data["weights"] = {str(k): v for k, v in ranking.weights.items()}
        data["count"] = count
        data["order"] = "adjusted_mean" if ranking.normalise else "raw_mean"
        data["provisional"] = ranking.provisional
        return Response(data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def portfolio(self, request, pk=None):
        """The best `places` applications that satisfy the quotas, exactly, next to the
        unconstrained top N and the score given up."""
        round = self.get_object()
        return Response(selectors.round_portfolio(round=round, normalise=_flag(request, "normalise")))

    @extend_schema(methods=["GET"], responses=DecisionSerializer(many=True))
    @extend_schema(methods=["POST"], request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[])
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
