"""Reads. Every accelerator queryset starts from a "visible to user" one, so what one may not see
answers 404; lists run a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from microprojects.selectors import projects_visible_to

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
from .portfolio import Candidate, best_portfolio
from .ranking import round_rank
from .services import application_attributes, stage_from_figures


def rounds_visible_to(user) -> QuerySet[Round]:
    """Coordinators see every round; everyone else the rounds that have opened."""
    if not user.is_authenticated:
        return Round.objects.none()
    qs = Round.objects.annotate(application_count=Count("applications", distinct=True))
    if user.is_coordinator:
        return qs
    return qs.exclude(status=Round.Status.DRAFT)


def criteria_of(round: Round) -> list[Criterion]:
    """The round's criteria with `normalised_weight` (sums to 1) set on each."""
    criteria = list(round.criteria.order_by("order", "id"))
    total = sum(c.weight for c in criteria)
    for c in criteria:
        c.normalised_weight = float(c.weight / total) if total else 0.0
    return criteria


def applications_visible_to(user) -> QuerySet[Application]:
    """Coordinators: all; social workers: their organisations'; reviewers: those assigned to them."""
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_coordinator:
        return Application.objects.all()
    assigned = ReviewAssignment.objects.filter(reviewer=user, status=ReviewAssignment.Status.ACTIVE).values(
        "application_id"
    )
    return Application.objects.filter(
        Q(project__organisation_id__in=user.organisation_ids) | Q(pk__in=assigned)
    )


def application_list(user, round: Round | None = None) -> QuerySet[Application]:
    qs = applications_visible_to(user)
    if round is not None:
        qs = qs.filter(round=round)
    return (
        qs.select_related("project", "project__organisation", "round", "decision", "submitted_by")
        .annotate(
            active_reviewers=Count(
                "assignments", filter=Q(assignments__status=ReviewAssignment.Status.ACTIVE), distinct=True
            ),
            submitted_reviews=Count(
                "assignments",
                filter=Q(
                    assignments__status=ReviewAssignment.Status.ACTIVE,
                    assignments__review__submitted_at__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("submitted_at", "pk")
    )


def assignment_board(round: Round) -> QuerySet[Application]:
    """Applications with their assignments, reviewers and review state (coordinators)."""
    return (
        Application.objects.filter(round=round)
        .select_related("project", "project__organisation")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related(
                    "reviewer", "reviewer__reviewer_profile", "review"
                ).order_by("pk"),
            )
        )
        .order_by("submitted_at", "pk")
    )


def assignments_of_reviewer(user) -> QuerySet[ReviewAssignment]:
    """A reviewer's inbox: only their own active assignments."""
    if not user.is_authenticated:
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.filter(reviewer=user, status=ReviewAssignment.Status.ACTIVE)
        .select_related("application__project__organisation", "application__round", "review")
        .order_by("application__round__review_deadline", "pk")
    )


def reviews_of(user) -> QuerySet[Review]:
    return (
        Review.objects.filter(assignment__reviewer=user)
        .select_related("assignment__application__project", "assignment__application__round")
        .prefetch_related("scores")
        .order_by("pk")
    )


def other_reviews(assignment: ReviewAssignment) -> list[Review]:
    """Other reviewers' submitted reviews of the same application, only once one's own is submitted."""
    own = Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()
    if not own:
        return []
    return list(
        Review.objects.filter(
            assignment__application_id=assignment.application_id,
            assignment__status=ReviewAssignment.Status.ACTIVE,
            submitted_at__isnull=False,
        )
        .exclude(assignment=assignment)
        .prefetch_related("scores__criterion")
        .order_by("pk")
    )


def decisions_of(round: Round) -> QuerySet[Decision]:
    return Decision.objects.filter(application__round=round).select_related(
        "application__project", "decided_by"
    )


def startups_visible_to(user) -> QuerySet[StartUp]:
    if not user.is_authenticated:
        return StartUp.objects.none()
    qs = StartUp.objects.select_related("application__project__organisation", "application__round")
    if user.is_coordinator:
        return qs
    return qs.filter(application__project__in=projects_visible_to(user))


@dataclass
class StartUpSummary:
    id: int
    name: str
    project: str
    organisation: str
    country: str
    stage: str
    stage_label: str
    months: list[date] = field(default_factory=list)
    ratios: list[float | None] = field(default_factory=list)
    latest_ratio: float | None = None
    earned_income_total: float = 0.0
    costs_total: float = 0.0
    milestones_due: list[dict] = field(default_factory=list)
    open_milestones: int = 0


def startup_portfolio(
    user=None, *, today: date | None = None, horizon_days: int = 60, ids=None
) -> list[StartUpSummary]:
    """Every start-up (or those visible to `user`) with its self-sufficiency ratio per month,
    the milestones due within `horizon_days` or overdue, and its stage. Three queries."""
    today = today or date.today()
    qs = (
        StartUp.objects.select_related("application__project__organisation")
        if user is None
        else startups_visible_to(user)
    )
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    qs = qs.prefetch_related(
        Prefetch("figures", queryset=MonthlyFigure.objects.order_by("month")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due", "pk")),
    ).order_by("name", "pk")
    rows = []
    for startup in qs:
        figures = list(startup.figures.all())
        ratios = [float(f.self_sufficiency) if f.self_sufficiency is not None else None for f in figures]
        project = startup.application.project
        stage = stage_from_figures(figures)
        open_milestones = [m for m in startup.milestones.all() if m.done_on is None]
        rows.append(
            StartUpSummary(
                id=startup.pk,
                name=startup.name,
                project=project.title,
                organisation=project.organisation.name,
                country=str(project.country),
                stage=stage,
                stage_label=str(StartUp.Stage(stage).label),
                months=[f.month for f in figures],
                ratios=ratios,
                latest_ratio=ratios[-1] if ratios else None,
                earned_income_total=float(sum(f.earned_income for f in figures)),
                costs_total=float(sum(f.costs for f in figures)),
                milestones_due=[
                    {"title": m.title, "due": m.due, "overdue": m.due < today}
                    for m in open_milestones
                    if m.due <= today + timedelta(days=horizon_days)
                ],
                open_milestones=len(open_milestones),
            )
        )
    return rows


def round_portfolio(*, round: Round, normalise: bool = True) -> dict:
    """The exact best portfolio under the round's quotas, next to the unconstrained top N and the
    score given up (plain data, for the page and the API)."""
    from dataclasses import asdict

    ranking = round_rank(round=round, normalise=normalise, draws=0)
    scored = [row for row in ranking.rows if row.score is not None]
    applications = Application.objects.filter(pk__in=[r.application_id for r in scored]).select_related(
        "project"
    )
    by_id = {a.pk: a for a in applications}
    candidates = [
        Candidate(row.application_id, row.score, application_attributes(by_id[row.application_id]))
        for row in scored
    ]
    result = best_portfolio(candidates, round.places, list(round.quotas))
    titles = {row.application_id: row.title for row in scored}
    data = asdict(result)
    data["selected_titles"] = [titles[i] for i in result.selected]
    data["unconstrained_titles"] = [titles[i] for i in result.unconstrained]
    data["quotas"] = round.quotas
    return data
