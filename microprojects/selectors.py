"""Reads. Every queryset of micro project data starts from one of these, so nobody sees another
organisation's data, and each list runs a fixed number of queries."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django_countries.fields import Country

from .models import Activity, Indicator, Measurement, MicroProject, TargetGroup


def projects_visible_to(user) -> QuerySet[MicroProject]:
    if not user.is_authenticated:
        return MicroProject.objects.none()
    return MicroProject.objects.filter(project_visible_to(user))


def project_visible_to(user, through: str = "") -> Q:
    """The condition that `user` may see a project, on a model that reaches the project through
    `through` (`"project__"` on an activity). For a logged-in user: use projects_visible_to for
    projects themselves."""
    if user.is_coordinator:
        return Q()
    return Q(**{f"{through}organisation_id__in": user.organisation_ids})


def project_activities(user, project_pk) -> QuerySet[Activity]:
    """The activities of one project if `user` may see it (none otherwise), with the project's title
    (`project_title`): a page of them is one query, with no query for the project itself. A project
    with no activities and one the user may not see both give no rows; tell them apart with
    projects_visible_to."""
    if not user.is_authenticated:
        return Activity.objects.none()
    return Activity.objects.filter(
        project_visible_to(user, through="project__"), project_id=project_pk
    ).annotate(project_title=F("project__title"))


def aggregate_per_row(rows: QuerySet, key: str, aggregate):
    """`aggregate` over the related `rows` of each outer row, as a correlated subquery (0 when none).

    Subqueries rather than joins + GROUP BY: counting through joins multiplies rows and made the
    project list take seconds at programme scale (see docs/performance.md)."""
    return Coalesce(Subquery(rows.order_by().values(key).annotate(value=aggregate).values("value")[:1]), 0)


def _per_project(aggregate):
    return aggregate_per_row(Activity.objects.filter(project=OuterRef("pk")), "project", aggregate)


def project_list(user) -> QuerySet[MicroProject]:
    """Projects for lists: organisation joined, target groups and leads prefetched, counts annotated."""
    return (
        projects_visible_to(user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("target_groups", queryset=TargetGroup.objects.order_by("order", "name")),
            "lead_social_workers",
        )
        .annotate(
            activity_count=_per_project(Count("pk")),
            participant_total=_per_project(Sum("participants_total")),
        )
    )


def activities_visible_to(user) -> QuerySet[Activity]:
    """Activities of every project `user` may see, with their project and its organisation, and the
    project's title as `project_title` (as project_activities gives it, for ActivitySerializer)."""
    return (
        Activity.objects.filter(project__in=projects_visible_to(user))
        .select_related("project", "project__organisation")
        .annotate(project_title=F("project__title"))
    )


def indicators_visible_to(user) -> QuerySet[Indicator]:
    return with_progress(
        Indicator.objects.filter(project__in=projects_visible_to(user)).select_related("project")
    )


def measurements_visible_to(user) -> QuerySet[Measurement]:
    return Measurement.objects.filter(indicator__project__in=projects_visible_to(user)).select_related(
        "indicator"
    )


def with_progress(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Annotate the latest measurement and the progress towards target in per cent, in SQL.

    progress = (latest - baseline) / (target - baseline) * 100; this reads the same for indicators
    that should decrease, as both differences are then negative.
    """
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-date", "-id")
    decimal = DecimalField(max_digits=20, decimal_places=4)
    return indicators.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
        measurement_count=aggregate_per_row(
            Measurement.objects.filter(indicator=OuterRef("pk")), "indicator", Count("pk")
        ),
    ).annotate(
        progress=Case(
            When(latest_value__isnull=True, then=Value(None)),
            When(baseline__isnull=True, then=Value(None)),
            When(target__isnull=True, then=Value(None)),
            default=ExpressionWrapper(
                (F("latest_value") - F("baseline"))
                * Value(100)
                / NullIf(F("target") - F("baseline"), Value(0)),
                output_field=decimal,
            ),
            output_field=decimal,
        )
    )


def indicator_is_off_track(indicator, *, today: date | None = None) -> bool:
    """An indicator is off track when its progress lags the time elapsed towards its target date
    by more than 15 points, or its target date has passed without reaching the target.
    Needs an indicator annotated by `with_progress` and its project loaded."""
    today = today or date.today()
    if indicator.target_date is None or indicator.progress is None:
        return False
    if today >= indicator.target_date:
        return indicator.progress < 100
    start = indicator.project.start_date or indicator.created_at.date()
    span = (indicator.target_date - start).days
    if span <= 0:
        return False
    expected = max(0, min(100, (today - start).days * 100 / span))
    return float(indicator.progress) < expected - 15


# Read helpers for the API (appended) ------------------------------------------------------------

# What a project's history reports as changed: the fields people edit, in the model's order.
PROJECT_HISTORY_FIELDS = (
    "organisation",
    "title",
    "summary",
    "problem",
    "country",
    "region",
    "setting",
    "status",
    "start_date",
    "end_date",
    "budget_eur",
)
PROJECT_HISTORY_M2M_FIELDS = ("target_groups", "lead_social_workers")


def target_groups_list() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.order_by("order", "name")


def colleagues_of(user):
    """Users who share an organisation with `user`: the people who can lead their projects."""
    if not user.is_authenticated:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(memberships__organisation_id__in=user.organisation_ids).distinct()


def project_history(project: MicroProject) -> QuerySet:
    """The project's history records, newest first, with the user who made each change."""
    return project.history.select_related("history_user").order_by("-history_date", "-history_id")


def project_history_previous(records: QuerySet, record):
    """The record just before `record` in `records` (ordered as `project_history`), or None."""
    if record.history_type == "+":
        return None
    return records.filter(
        Q(history_date__lt=record.history_date)
        | Q(history_date=record.history_date, history_id__lt=record.history_id)
    ).first()


def _plain(value):
    """A history value as JSON: countries as their code, dates as ISO, decimals as strings."""
    if value is None or isinstance(value, bool | int | str | list):
        return value
    if isinstance(value, Country):
        return value.code or None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def project_history_with_changes(records: list, previous=None) -> list:
    """Set `record.changes` on each of `records` (newest first), comparing it with the record
    before it (the next in the list, or `previous` for the last one): a list of
    {"field", "label", "old", "new"}. Plain fields are compared with simple-history's
    `diff_against`; many-to-many fields from one query per field for all the records together, so
    the number of queries does not grow with the number of records."""
    chain = [*records, *([previous] if previous is not None else [])]
    m2m_values = _history_m2m_values([r.history_id for r in chain])
    for index, record in enumerate(records):
        older = chain[index + 1] if index + 1 < len(chain) else None
        record.changes = []
        if older is None or record.history_type != "~":
            continue
        delta = record.diff_against(older, included_fields=PROJECT_HISTORY_FIELDS)
        changes = [(change.field, change.old, change.new) for change in delta.changes]
        for field in PROJECT_HISTORY_M2M_FIELDS:
            old = m2m_values[field].get(older.history_id, [])
            new = m2m_values[field].get(record.history_id, [])
            if old != new:
                changes.append((field, old, new))
        order = {name: i for i, name in enumerate(PROJECT_HISTORY_FIELDS + PROJECT_HISTORY_M2M_FIELDS)}
        record.changes = [
            {
                "field": field,
                "label": str(MicroProject._meta.get_field(field).verbose_name),
                "old": _plain(old),
                "new": _plain(new),
            }
            for field, old, new in sorted(changes, key=lambda change: order[change[0]])
        ]
    return records


def _history_m2m_values(history_ids: list[int]) -> dict[str, dict[int, list[int]]]:
    """{m2m field: {history id: sorted related ids}} for the given history records."""
    values: dict[str, dict[int, list[int]]] = {}
    history_model = MicroProject.history.model
    for field in PROJECT_HISTORY_M2M_FIELDS:
        model_field = MicroProject._meta.get_field(field)
        through = next(
            relation.related_model
            for relation in history_model._meta.related_objects
            if relation.related_model.__name__ == f"{history_model.__name__}_{field}"
        )
        related_id = f"{model_field.m2m_reverse_field_name()}_id"
        rows = through.objects.filter(history_id__in=history_ids).values_list("history_id", related_id)
        by_record: dict[int, list[int]] = {}
        for history_id, related in rows:
            by_record.setdefault(history_id, []).append(related)
        values[field] = {key: sorted(ids) for key, ids in by_record.items()}
    return values
