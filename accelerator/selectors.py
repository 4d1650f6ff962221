"""Reads. Every accelerator queryset starts from a "visible to user" one, so what one may not see
answers 404; lists run a fixed number of queries. The figures the services, pages, API and reports
share (a start-up's stage, an application's quota attributes, a review's lock, the applicants'
feedback, a decision's inputs) are computed here, once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from microprojects.selectors import projects_visible_to
from sempre.models import User

from .models import (
    Application,
    Criterion,
    Decision,
    Milestone,
    MonthlyFigure,
    Review,
    ReviewAssignment,
    Round,
    Score,
    StartUp,
)
from .portfolio import Candidate, best_portfolio
from .ranking import DEFAULT_SEED, ROUND_ORDER_NORMALISED, Ranking, round_rank


def rounds_visible_to(user) -> QuerySet[Round]:
    """Coordinators see every round; everyone else the rounds that have opened."""
    if not user.is_authenticated:
        return Round.objects.none()
    qs = Round.objects.annotate(
        application_count=Count(
            "applications", filter=~Q(applications__status=Application.Status.WITHDRAWN), distinct=True
        )
    )
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
    """Coordinators: all; social workers: their organisations'; reviewers: those assigned to them,
    unless withdrawn (a withdrawn application leaves the reviewers' pages)."""
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_coordinator:
        return Application.objects.all()
    assigned = (
        ReviewAssignment.objects.filter(reviewer=user, status=ReviewAssignment.Status.ACTIVE)
        .exclude(application__status=Application.Status.WITHDRAWN)
        .values("application_id")
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
        Application.objects.competing()
        .filter(round=round)
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


def assignments_of_round(round: Round) -> QuerySet[ReviewAssignment]:
    """A round's assignments with reviewer, project and review, by application (coordinators)."""
    return (
        ReviewAssignment.objects.filter(application__round=round)
        .select_related("reviewer", "application__project", "review")
        .order_by("application_id", "pk")
    )


def assignments_of_reviewer(user) -> QuerySet[ReviewAssignment]:
    """A reviewer's inbox: only their own active assignments."""
    if not user.is_authenticated:
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.filter(reviewer=user, status=ReviewAssignment.Status.ACTIVE)
        .exclude(application__status=Application.Status.WITHDRAWN)
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


def other_reviews_visible_to(user, assignment: ReviewAssignment) -> list[Review]:
    """Other reviewers' submitted reviews of the same application: none until `user` has submitted
    their own review of it (permission `accelerator.view_other_reviews`)."""
    if not user.has_perm("accelerator.view_other_reviews", assignment):
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


def review_is_locked(assignment: ReviewAssignment, *, now=None) -> str | None:
    """Why the review cannot be changed, or None."""
    now = now or timezone.now()
    round = assignment.application.round
    review = getattr(assignment, "review", None)
    if assignment.status != ReviewAssignment.Status.ACTIVE:
        return _("This assignment was withdrawn.")
    if assignment.application.status == Application.Status.WITHDRAWN:
        return _("The applicant withdrew this application.")
    if review is not None and review.submitted_at is not None:
        return _("The review has been submitted.")
    if round.status != Round.Status.REVIEWING:
        return _("The round is not in its reviewing phase.")
    if now > round.review_deadline:
        return _("The review deadline has passed.")
    return None


def language_name(code: str) -> str:
    """A language of the platform named in the reader's language ("Swedish"); "" for none."""
    return str(dict(settings.LANGUAGES).get(code, code)) if code else ""


def application_change_refusal(application: Application, *, now=None) -> str | None:
    """Why the applicant can no longer change or withdraw the application, or None: both are open
    while the round is open for applications and its closing date has not passed."""
    now = now or timezone.now()
    round = application.round
    if application.status == Application.Status.WITHDRAWN:
        return _("This application was withdrawn.")
    if application.status != Application.Status.SUBMITTED or round.status != Round.Status.OPEN:
        return _(
            "The round is closed for applications: this application can no longer be changed or withdrawn."
        )
    if now > round.closes_at:
        return _(
            "Applications closed on %(deadline)s: this application can no longer be changed or withdrawn."
        ) % {"deadline": formats.date_format(timezone.localtime(round.closes_at), "DATETIME_FORMAT")}
    return None


# Reviewers --------------------------------------------------------------------------------------


def reviewer_list() -> QuerySet[User]:
    """Active reviewers by name, for the assignment board."""
    return User.objects.filter(is_reviewer=True, is_active=True).order_by("last_name", "username")


def reviewers_for_assignment() -> list[User]:
    """Active reviewers with what assigning them depends on (country, organisations), by id."""
    return list(
        User.objects.filter(is_reviewer=True, is_active=True)
        .select_related("reviewer_profile")
        .prefetch_related("memberships__organisation")
        .order_by("pk")
    )


def reviewer_country(reviewer: User) -> str:
    """The reviewer's country: from their reviewer profile, else their (first) organisation."""
    profile = getattr(reviewer, "reviewer_profile", None)
    if profile is not None and profile.country:
        return profile.country
    memberships = sorted(reviewer.memberships.all(), key=lambda m: m.pk)
    return str(memberships[0].organisation.country) if memberships else ""


# Decisions and feedback -------------------------------------------------------------------------


def application_attributes(application: Application) -> dict:
    """What the round's quotas count: the project's country, organisation and setting."""
    project = application.project
    return {
        "country": str(project.country),
        "organisation": str(project.organisation_id),
        "setting": project.setting,
    }


def decision_inputs(round: Round) -> dict:
    """Everything the decision rests on, in a canonical form (for the record and its hash)."""
    criteria = [
        {
            "id": c.pk,
            "name": c.name,
            "weight": str(c.weight),
            "scale": [c.scale_min, c.scale_max],
        }
        for c in round.criteria.order_by("order", "id")
    ]
    scores = list(
        Score.objects.filter(review__assignment__application__round=round, review__submitted_at__isnull=False)
        .order_by("review__assignment__application_id", "review__assignment__reviewer_id", "criterion_id")
        .values_list(
            "review__assignment__application_id", "review__assignment__reviewer_id", "criterion_id", "value"
        )
    )
    return {
        "round": round.pk,
        "settings": {
            "places": round.places,
            "quotas": round.quotas,
            "tie_break": round.tie_break,
            "normalisation": round.normalisation,
            "blind_review": round.blind_review,
        },
        "criteria": criteria,
        "applications": sorted(
            Application.objects.competing().filter(round=round).values_list("pk", flat=True)
        ),
        "scores": [list(row) for row in scores],
    }


def decisions_of(round: Round) -> QuerySet[Decision]:
    return Decision.objects.filter(application__round=round).select_related(
        "application__project", "decided_by"
    )


def _submitted_reviews(application: Application) -> QuerySet[Review]:
    return Review.objects.filter(
        assignment__application=application,
        assignment__status=ReviewAssignment.Status.ACTIVE,
        submitted_at__isnull=False,
    )


def application_feedback(application: Application) -> list[dict]:
    """Per-criterion feedback for the applicant: mean score and scale, without reviewer identities."""
    criteria = list(application.round.criteria.order_by("order", "id"))
    reviews = list(_submitted_reviews(application).prefetch_related("scores"))
    rows = []
    for c in criteria:
        values = [s.value for r in reviews for s in r.scores.all() if s.criterion_id == c.pk]
        rows.append(
            {
                "criterion": c.name,
                "scale": f"{c.scale_min}-{c.scale_max}",
                "mean": round(sum(values) / len(values), 2) if values else None,
            }
        )
    return rows


def application_comments(application: Application) -> list[str]:
    """The reviewers' comments on an application, without their names."""
    return list(
        _submitted_reviews(application).exclude(comment="").order_by("pk").values_list("comment", flat=True)
    )


# Start-ups --------------------------------------------------------------------------------------


def startups_visible_to(user) -> QuerySet[StartUp]:
    if not user.is_authenticated:
        return StartUp.objects.none()
    qs = StartUp.objects.select_related("application__project__organisation", "application__round")
    if user.is_coordinator:
        return qs
    return qs.filter(application__project__in=projects_visible_to(user))


def figures_of(startup: StartUp) -> QuerySet[MonthlyFigure]:
    return startup.figures.order_by("month")


def milestones_of(startup: StartUp) -> QuerySet[Milestone]:
    return startup.milestones.order_by("due", "pk")


def stage_from_figures(figures: list[MonthlyFigure]) -> str:
    """pilot until the first month with earned income; launched after; self-sustaining once
    earned income covered costs (ratio >= 1.0) in three consecutive calendar months."""
    run = 0
    previous = None
    launched = False
    for figure in sorted(figures, key=lambda f: f.month):
        launched = launched or figure.earned_income > 0
        ratio = figure.self_sufficiency
        consecutive = (
            previous is not None
            and (figure.month.year * 12 + figure.month.month) - (previous.year * 12 + previous.month) == 1
        )
        run = (run + 1 if consecutive else 1) if ratio is not None and ratio >= 1 else 0
        previous = figure.month
        if run >= 3:
            return StartUp.Stage.SELF_SUSTAINING
    return StartUp.Stage.LAUNCHED if launched else StartUp.Stage.PILOT


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

    ranking = round_ranking(round=round, normalise=normalise, draws=0)
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
    by_row = {row.application_id: row for row in scored}
    data = asdict(result)
    data["selected_titles"] = [titles[i] for i in result.selected]
    data["unconstrained_titles"] = [titles[i] for i in result.unconstrained]
    # Each with its place in the ranking and its score, so the lists read against the ranking page.
    for name in ("selected", "unconstrained"):
        data[f"{name}_items"] = [
            {"application": i, "title": titles[i], "rank": by_row[i].rank, "score": by_row[i].score}
            for i in getattr(result, name)
        ]
    data["quotas"] = round.quotas
    data["order"] = "adjusted_mean" if ranking.normalise else "raw_mean"
    data["missing_reviews"] = ranking.missing_reviews
    data["provisional"] = ranking.provisional
    return data


# The ranking as pages and the API show it: computed once per version of the round --------------

RANKING_CACHE_SECONDS = 24 * 3600
RANKING_CHUNK = 50  # rows per cache entry: a page of the ranking reads one or two of them


def round_ranking(
    *, round: Round, normalise: bool | None = None, draws: int = 2000, seed: int = DEFAULT_SEED
) -> Ranking:
    """ranking.round_rank(...), computed once for each version of the round and then read from the
    cache: the version moves with every change the ranking depends on (services.round_ranking_changed),
    so a cached ranking is the one round_rank would give now. `round` must be loaded in this request
    (its ranking_version current).

    On a cache hit, `rows` is a CachedRankingRows: a sequence that reads from the cache only the
    rows asked for (a page reads one or two entries, however many applications the round has),
    with the projects' titles read afresh (one query), since a project's own page can rename it
    without the round knowing. list(ranking.rows) gives them all."""
    if normalise is None:  # the round's own order, shared by every page (one cache entry)
        normalise = ROUND_ORDER_NORMALISED
    key = ":".join(
        str(part)
        for part in (
            "accelerator:ranking",
            round.pk,
            round.created_at.timestamp(),  # a round id used again by another database: another key
            round.ranking_version,
            normalise,
            draws,
            seed,
        )
    )
    stored = cache.get(key)
    if stored is None:
        ranking = round_rank(round=round, normalise=normalise, draws=draws, seed=seed)
        rows = ranking.rows
        chunks = {
            f"{key}:{n}": rows[n * RANKING_CHUNK : (n + 1) * RANKING_CHUNK] for n in range(_chunks(len(rows)))
        }
        cache.set_many(chunks, RANKING_CACHE_SECONDS)
        cache.set(key, (replace(ranking, rows=[]), len(rows)), RANKING_CACHE_SECONDS)  # last: all or none
        return ranking
    ranking, count = stored
    options = {"normalise": normalise, "draws": draws, "seed": seed}
    return replace(ranking, rows=CachedRankingRows(key, count, round, options))


def _chunks(count: int) -> int:
    return -(-count // RANKING_CHUNK)


class CachedRankingRows(Sequence):
    """The rows of a cached ranking, read from the cache when asked for (by index, slice or
    iteration), with titles read afresh. A chunk gone from the cache (evicted) is computed again."""

    def __init__(self, key: str, count: int, round: Round, options: dict):
        self.key, self.count, self.round, self.options = key, count, round, options

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count)
            if start >= stop:
                return []
            first, last = start // RANKING_CHUNK, (stop - 1) // RANKING_CHUNK
            keys = [f"{self.key}:{n}" for n in range(first, last + 1)]
            found = cache.get_many(keys)
            if len(found) < len(keys):  # evicted: start again from the computation
                cache.delete(self.key)
                return round_ranking(round=self.round, **self.options).rows[index]
            rows = [row for key in keys for row in found[key]]
            offset = first * RANKING_CHUNK
            rows = rows[start - offset : stop - offset : step]
            titles = dict(
                Application.objects.filter(pk__in=[row.application_id for row in rows]).values_list(
                    "id", "project__title"
                )
            )
            for row in rows:
                row.title = titles.get(row.application_id, row.title)
            return rows
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError(index)
        return self[index : index + 1][0]

    def __iter__(self):
        return iter(self[:])

    def __eq__(self, other):
        return list(self) == list(other)

    __hash__ = None
