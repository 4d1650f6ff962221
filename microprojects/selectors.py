"""Reads. Every queryset of micro project data starts from one of these, so nobody sees another
organisation's data, and each list runs a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
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
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django_countries.fields import Country

from sempre.models import Organisation

from .models import Activity, FiguresSnapshot, Indicator, Measurement, MicroProject, TargetGroup


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


def project_countries(user) -> list[str]:
    """The countries of the projects `user` may see, each once. For somebody who sees every
    project, read from the index on (country, status) one country at a time (a recursive query,
    PostgreSQL's "loose index scan"), so the cost follows the number of countries, not of projects."""
    if not user.is_authenticated:
        return []
    if not user.is_coordinator:
        return list(projects_visible_to(user).order_by().values_list("country", flat=True).distinct())
    table = connection.ops.quote_name(MicroProject._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE found(country) AS (
                SELECT MIN(country) FROM {table}
                UNION ALL
                SELECT (SELECT MIN(country) FROM {table} WHERE country > found.country)
                FROM found WHERE found.country IS NOT NULL
            )
            SELECT country FROM found WHERE country IS NOT NULL
            """  # noqa: S608 - the table's own name, quoted; no input
        )
        return [country for (country,) in cursor.fetchall()]


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


def activities_in_period(project: MicroProject) -> Q | None:
    """The condition that an activity lies within `project`'s start and end (an open end is no
    bound); None when the project has neither."""
    bounds = {}
    if project.start_date:
        bounds["date__gte"] = project.start_date
    if project.end_date:
        bounds["date__lte"] = project.end_date
    return Q(**bounds) if bounds else None


def project_activity_list(user, project: MicroProject) -> QuerySet[Activity]:
    """The activities of `project` as its page lists them, newest first, each with
    `is_outside_period` (dated before its start or after its end: older data may hold such rows,
    which the services refuse today)."""
    in_period = activities_in_period(project)
    return (
        Activity.objects.filter(project_visible_to(user, through="project__"), project=project)
        .annotate(
            is_outside_period=Value(False, output_field=BooleanField())
            if in_period is None
            else Case(When(in_period, then=Value(False)), default=Value(True), output_field=BooleanField())
        )
        .order_by("-date", "-id")
    )


def project_activity_counts(project: MicroProject) -> dict:
    """How many activities `project` has (`total`) and how many of them lie outside its period
    (`outside_period`), in one query."""
    in_period = activities_in_period(project)
    # With no start and no end nothing is outside: an always-false filter keeps it one query.
    outside = ~in_period if in_period is not None else Q(pk__in=[])
    return project.activities.order_by().aggregate(
        total=Count("pk"), outside_period=Count("pk", filter=outside)
    )


# A chart over more months than this shows the latest of them (a project without a start date and an
# old activity would otherwise draw centuries).
PROJECT_CHART_MONTHS = 120


def project_participation_by_month(project: MicroProject) -> list[dict]:
    """participation_by_month of `project`'s activities within its period: from the first to the
    last month with activities there (the activities' range clipped to the period), at most the
    latest PROJECT_CHART_MONTHS months. One query."""
    activities = project.activities.all()
    in_period = activities_in_period(project)
    if in_period is not None:
        activities = activities.filter(in_period)
    return participation_by_month(activities)[-PROJECT_CHART_MONTHS:]


def indicators_visible_to(user) -> QuerySet[Indicator]:
    return with_progress(
        Indicator.objects.filter(project__in=projects_visible_to(user)).select_related("project")
    )


def indicators_to_record(user) -> QuerySet[Indicator]:
    """Indicators one may see, with their project and without the figures of indicators_visible_to:
    what recording a measurement needs (one query per lookup)."""
    return Indicator.objects.filter(project__in=projects_visible_to(user)).select_related("project")


def field_projects(user) -> QuerySet[MicroProject]:
    """The projects a person logs work in from the field (the quick log, the offline app): their
    own organisations' draft and active ones, by title, with their indicators (2 queries). Never
    another organisation's, coordinators included: the device keeps only its person's own data."""
    return (
        MicroProject.objects.filter(
            organisation_id__in=user.organisation_ids,
            status__in=(MicroProject.Status.DRAFT, MicroProject.Status.ACTIVE),
        )
        .only("id", "title", "start_date", "end_date", "status", "organisation_id")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.only("id", "name", "unit", "project_id"))
        )
        .order_by("title", "id")
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


# Read helpers for the API and the forms ---------------------------------------------------------


def target_groups_list() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.order_by("order", "name")


def colleagues_of(user):
    """Users who share an organisation with `user`: the people who can lead their projects."""
    if not user.is_authenticated:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(memberships__organisation_id__in=user.organisation_ids).distinct()


def default_organisation_for(user) -> Organisation:
    """The organisation a new project belongs to when none is named: the user's only one. None or
    several: a ValidationError on `organisation` that says so."""
    ids = sorted(user.organisation_ids)
    if len(ids) == 1:
        return Organisation.objects.get(pk=ids[0])
    if not ids:
        raise ValidationError({"organisation": _("You are not a member of any organisation.")})
    raise ValidationError({"organisation": _("You belong to several organisations: choose one.")})


# A project's change history: the project page and the API both show project_history ---------------

# What the history reports as changed: the fields people edit, in the model's order.
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
# A save writes one history record and each many-to-many update after it another: records by the
# same person that follow within this time and change only many-to-many fields join its entry.
HISTORY_BURST = timedelta(seconds=5)
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class HistoryChange:
    field: str  # the model field's name
    label: str  # its name for people, e.g. "budget (EUR)"
    old: Any  # as JSON: ids, country codes, ISO dates, decimals as strings
    new: Any
    old_text: str  # as people read it: names, choice labels, "—" for nothing
    new_text: str


@dataclass
class HistoryEntry:
    id: int  # the history record of the save that opened the entry
    date: datetime
    type: str  # "created", "changed" or "deleted"
    user: Any  # who, None for commands and the demo data
    changes: list[HistoryChange] = field(default_factory=list)

    @property
    def created(self) -> bool:
        return self.type == "created"


@dataclass
class HistoryPage:
    entries: list[HistoryEntry]  # newest first
    next_before: int | None  # `before` of the next (older) page; None after the oldest entry


# A page of N entries reads up to N * HISTORY_RECORDS_PER_ENTRY records (a save writes one record and
# each many-to-many field it changes one more), then one before them to compare the oldest with.
HISTORY_RECORDS_PER_ENTRY = 3


def project_history(project: MicroProject) -> list[HistoryEntry]:
    """The project's whole change history, newest first (see project_history_page). Three queries,
    but they read every record: lists use project_history_page."""
    records = list(project.history.select_related("history_user", "organisation").order_by("history_id"))
    m2m = _history_m2m(history__id=project.pk)
    return [entry for entry in reversed(_history_entries(records, m2m)) if _history_shown(entry)]


def project_history_page(project: MicroProject, *, before: int | None = None, size: int = 25) -> HistoryPage:
    """Up to `size` entries of the project's change history older than the entry `before` (a
    history_id; None: the newest), newest first: who, when, and each of PROJECT_HISTORY_FIELDS and
    PROJECT_HISTORY_M2M_FIELDS that changed, from what to what.

    A record that changes nothing is left out; a save and the many-to-many updates right after it
    (HISTORY_BURST) are one entry. So a page of entries is not a page of records: the page reads a
    window of size * HISTORY_RECORDS_PER_ENTRY records below `before`, and one more before them to
    compare the oldest with. The oldest entry of a window may continue an entry before it (a
    many-to-many update right after an older save): unless the window reaches the project's first
    record, it is left to the next page, which reads it again with what came before. A page may
    therefore hold fewer than `size` entries while `next_before` says there are older ones.

    Three queries whatever the history's length and the page: the records, then the many-to-many
    rows of those records, one query per field."""
    window = size * HISTORY_RECORDS_PER_ENTRY
    records = project.history.select_related("history_user", "organisation").order_by("-history_id")
    if before is not None:
        records = records.filter(history_id__lt=before)
    records = list(records[: window + 1])
    at_start = len(records) <= window
    baseline = None if at_start else records.pop()  # only compared with, not shown
    records.reverse()
    ids = [record.history_id for record in records] + ([baseline.history_id] if baseline else [])
    entries = _history_entries(records, _history_m2m(history_id__in=ids), previous=baseline)
    if not at_start and len(entries) > 1:
        entries = entries[1:]  # may continue an entry before the window: the next page reads it again
    shown, next_before = [], None
    for entry in reversed(entries):
        if len(shown) == size:
            next_before = shown[-1].id
            break
        if _history_shown(entry):
            shown.append(entry)
    else:
        if not at_start:  # older records are left to read
            next_before = entries[0].id if entries else records[0].history_id
    return HistoryPage(shown, next_before)


def _history_shown(entry: HistoryEntry) -> bool:
    # A change undone within its own burst (a target group added and removed) says nothing.
    return entry.type != "changed" or bool(entry.changes)


def _history_entries(records: list, m2m: dict, *, previous=None) -> list[HistoryEntry]:
    """The entries of `records` (oldest first), oldest first; `previous` is the record before them."""
    entries: list[HistoryEntry] = []
    last_date = None  # of the newest record in entries[-1]
    for record in records:
        kind = HISTORY_TYPES[record.history_type]
        changes = _history_changes(previous, record, m2m) if previous is not None else []
        previous = record
        if kind == "changed" and not changes:
            continue  # saved without a change, or the oldest of a history that lost its start
        last = entries[-1] if entries else None
        if (
            last is not None
            and kind == "changed"
            and all(change.field in PROJECT_HISTORY_M2M_FIELDS for change in changes)
            and last.user == record.history_user
            and record.history_date - last_date <= HISTORY_BURST
        ):
            _history_fold(last, changes)
        else:
            entries.append(
                HistoryEntry(record.history_id, record.history_date, kind, record.history_user, changes)
            )
        last_date = record.history_date
    return entries


def _history_fold(entry: HistoryEntry, changes: list[HistoryChange]) -> None:
    """Add later `changes` to `entry`: a field it changed already keeps its first old value."""
    by_field = {change.field: change for change in entry.changes}
    for change in changes:
        earlier = by_field.get(change.field)
        if earlier is None:
            entry.changes.append(change)
        else:
            earlier.new, earlier.new_text = change.new, change.new_text
    order = {name: i for i, name in enumerate(PROJECT_HISTORY_FIELDS + PROJECT_HISTORY_M2M_FIELDS)}
    entry.changes = sorted(
        (change for change in entry.changes if change.old != change.new), key=lambda c: order[c.field]
    )


def _history_changes(older, record, m2m: dict) -> list[HistoryChange]:
    changes = []
    for name in PROJECT_HISTORY_FIELDS:
        model_field = MicroProject._meta.get_field(name)
        old, new = _history_plain(older, model_field), _history_plain(record, model_field)
        if old != new:
            changes.append(
                HistoryChange(
                    name,
                    str(model_field.verbose_name),
                    old,
                    new,
                    _history_text(older, model_field),
                    _history_text(record, model_field),
                )
            )
    for name in PROJECT_HISTORY_M2M_FIELDS:
        old, new = m2m[name].get(older.history_id, []), m2m[name].get(record.history_id, [])
        if old != new:
            changes.append(
                HistoryChange(
                    name,
                    str(MicroProject._meta.get_field(name).verbose_name),
                    [pk for pk, _name in old],
                    [pk for pk, _name in new],
                    ", ".join(text for _pk, text in old) or "—",
                    ", ".join(text for _pk, text in new) or "—",
                )
            )
    return changes


def _history_plain(record, model_field):
    """A field's value as JSON: the organisation's id, a country's code, ISO dates, decimals as
    strings."""
    value = getattr(record, model_field.attname)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Country):
        return value.code or None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _history_text(record, model_field) -> str:
    """A field's value as people read it: the organisation's name, a choice's label, a country's
    name, dates and numbers in the language's format; "—" for nothing."""
    value = getattr(record, model_field.name)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Country):
        return str(value.name or value.code or "—")
    if isinstance(value, date | Decimal):
        return formats.localize(value)
    return str(value)


def _history_m2m(**records) -> dict[str, dict[int, list[tuple[int, str]]]]:
    """{m2m field: {history id: [(related id, name), ...] in id order}} for the history records
    that `records` picks (a filter of the through model): one query per field."""
    values = {}
    history_model = MicroProject.history.model
    for name in PROJECT_HISTORY_M2M_FIELDS:
        related = MicroProject._meta.get_field(name).m2m_reverse_field_name()
        through = history_model._meta.get_field(f"historicalmicroproject_{name}").related_model
        rows = (
            through.objects.filter(**records).select_related(related).order_by("history_id", f"{related}_id")
        )
        by_record: dict[int, list[tuple[int, str]]] = {}
        for row in rows:
            by_record.setdefault(row.history_id, []).append(
                (getattr(row, f"{related}_id"), str(getattr(row, related)))
            )
        values[name] = by_record
    return values


# Programme figures: one definition each, for the dashboard, the project page and the reports ------

HOURS = DecimalField(max_digits=14, decimal_places=2)


def activity_sums(prefix: str = "") -> dict:
    """Aggregates of activities: their number, staff and volunteer hours, and every participant count.
    `prefix` reaches the activities through a relation (e.g. "activities__")."""
    return {
        "activities": Count(f"{prefix}id"),
        "staff_hours": Coalesce(Sum(f"{prefix}staff_hours"), Value(0), output_field=HOURS),
        "volunteer_hours": Coalesce(Sum(f"{prefix}volunteer_hours"), Value(0), output_field=HOURS),
        **{field: Coalesce(Sum(f"{prefix}{field}"), 0) for field in Activity.COUNT_FIELDS},
    }


def _no_activities() -> dict:
    zero = {"activities": 0, "staff_hours": Decimal(0), "volunteer_hours": Decimal(0)}
    return {**zero, **dict.fromkeys(Activity.COUNT_FIELDS, 0)}


def _with_hours(row: dict) -> dict:
    row["hours"] = row["staff_hours"] + row["volunteer_hours"]
    row["participants"] = row["participants_total"]
    return row


def first_of_month(value) -> date:
    """The first day of the month of a date, or of a datetime as the database truncated it."""
    value = value.date() if hasattr(value, "hour") else value
    return value.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    months, current, last = [], first_of_month(first), first_of_month(last)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def participation_by_month(
    activities: QuerySet[Activity], *, first: date | None = None, last: date | None = None
) -> list[dict]:
    """Activities, hours and participants per calendar month (one query): a row for every month from
    `first` to `last` (by default the first and the last month with activities), a month without
    activities as zeros. Each row has `month` (its first day) and the keys of `activity_sums`, plus
    `hours` and `participants`. No activities in the months asked for: no rows."""
    if first is not None:
        activities = activities.filter(date__gte=first_of_month(first))
    if last is not None:
        following = months_between(last, last)[0].replace(day=28) + timedelta(days=4)
        activities = activities.filter(date__lt=following.replace(day=1))
    found = {
        first_of_month(row.pop("month")): row
        for row in activities.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(**activity_sums())
        .order_by("month")
    }
    if not found:
        return []
    months = months_between(first or min(found), last or max(found))
    return [_with_hours({"month": month, **found.get(month, _no_activities())}) for month in months]


def participation_by_country(projects: QuerySet[MicroProject], activities: QuerySet[Activity]) -> list[dict]:
    """One row per country of `projects` (two queries): how many projects (each one, with or without
    activities; `active_projects` of them active) and the sums of `activities`, which the caller
    limits to those projects (and a period). Rows in country code order; `label` is the country's
    name."""
    sums = {
        row.pop("project__country"): row
        for row in activities.order_by().values("project__country").annotate(**activity_sums())
    }
    counts = (
        projects.order_by()
        .values("country")
        .annotate(
            projects=Count("id"), active_projects=Count("id", filter=Q(status=MicroProject.Status.ACTIVE))
        )
        .order_by("country")
    )
    return [
        _with_hours(
            {**row, "label": Country(row["country"]).name or row["country"]}
            | sums.get(row["country"], _no_activities())
        )
        for row in counts
    ]


def participation_by_target_group(
    projects: QuerySet[MicroProject], activities: QuerySet[Activity]
) -> list[dict]:
    """As participation_by_country, one row per target group of `projects` (a project that works
    with two groups counts in both), in the groups' order; projects without a group are left out.
    `group` is the group's id."""
    sums = {
        row.pop("project__target_groups"): row
        for row in activities.order_by()
        .filter(project__target_groups__isnull=False)
        .values("project__target_groups")
        .annotate(**activity_sums())
    }
    counts = (
        projects.order_by()
        .filter(target_groups__isnull=False)
        .values("target_groups", "target_groups__name", "target_groups__order")
        .annotate(projects=Count("id"))
        .order_by("target_groups__order", "target_groups__name")
    )
    return [
        _with_hours(
            {
                "group": row["target_groups"],
                "label": gettext(row["target_groups__name"]),  # as TargetGroup.__str__
                "projects": row["projects"],
            }
            | sums.get(row["target_groups"], _no_activities())
        )
        for row in counts
    ]


def programme_figures(user) -> dict:
    """The programme's figures as the coordinator's dashboard shows them, for every project `user`
    may see: `programme_totals` (projects, active projects, activities, participants, hours) and the
    rows `by_country` and `by_target_group` (see participation_by_country). Four queries.

    They read every activity: the dashboard shows them precomputed (programme_figures_snapshot)."""
    return programme_figures_of(projects_visible_to(user))


def programme_figures_of(projects: QuerySet[MicroProject]) -> dict:
    """programme_figures for the given projects."""
    activities = Activity.objects.filter(project__in=projects)
    by_country = participation_by_country(projects, activities)
    # Every project has one country, so the countries' rows add up to the programme.
    totals = {
        key: sum(row[key] for row in by_country)
        for key in ("projects", "active_projects", "activities", "participants", "hours")
    }
    return {
        "programme_totals": totals,
        "by_country": sorted(by_country, key=lambda row: str(row["label"])),
        "by_target_group": participation_by_target_group(projects, activities),
    }


# Precomputed programme figures (FiguresSnapshot, refreshed by services.figures_refresh) -----------

PROGRAMME_MONTHS = 12
_HOURS_KEYS = ("staff_hours", "volunteer_hours", "hours")


def programme_months(today: date | None = None) -> tuple[date, date]:
    """The first days of the first and the last of the PROGRAMME_MONTHS months up to this one."""
    last = (today or timezone.localdate()).replace(day=1)
    index = last.year * 12 + last.month - 1 - (PROGRAMME_MONTHS - 1)
    return date(index // 12, index % 12 + 1, 1), last


def programme_figures_to_store(projects: QuerySet[MicroProject]) -> dict:
    """What a snapshot keeps of `projects`: programme_figures_of and the monthly rows of the last
    PROGRAMME_MONTHS months, without the labels, which depend on the reader's language (the
    country's code and the target group's untranslated name are kept instead)."""
    figures = programme_figures_of(projects)
    names = dict(TargetGroup.objects.values_list("id", "name"))
    first, last = programme_months()
    months = participation_by_month(Activity.objects.filter(project__in=projects), first=first, last=last)
    return {
        "programme_totals": figures["programme_totals"],
        "by_country": [_without_label(row) for row in figures["by_country"]],
        "by_target_group": [
            {**_without_label(row), "name": names[row["group"]]} for row in figures["by_target_group"]
        ],
        "months": months,
    }


def _without_label(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "label"}


def programme_figures_snapshot(user) -> dict | None:
    """The programme figures as last precomputed, for a user who sees every project (a
    coordinator): what programme_figures(user) gives, plus `months` (participation_by_month of the
    last PROGRAMME_MONTHS months), `figures_as_of` (when their computation started) and
    `figures_updating` (a change since then is being counted). One query. None for anybody who sees
    less than the whole programme, and when nothing is computed yet."""
    if not user.is_authenticated or not user.is_coordinator:
        return None  # the snapshot counts every project: never shown to anyone who sees fewer
    snapshot = FiguresSnapshot.objects.filter(scope=FiguresSnapshot.SCOPE_PROGRAMME).first()
    if snapshot is None or snapshot.computed_at is None:
        return None
    return programme_figures_from_store(snapshot)


def programme_figures_from_store(snapshot: FiguresSnapshot) -> dict:
    """A snapshot's figures as programme_figures gives them: labels in the reader's language, hours
    as decimals, months as dates."""
    stored = snapshot.figures
    by_country = [
        _hours_as_decimals({**row, "label": Country(row["country"]).name or row["country"]})
        for row in stored["by_country"]
    ]
    return {
        "programme_totals": _hours_as_decimals(dict(stored["programme_totals"])),
        "by_country": sorted(by_country, key=lambda row: str(row["label"])),
        "by_target_group": [
            _hours_as_decimals({**row, "label": gettext(row["name"])}) for row in stored["by_target_group"]
        ],
        "months": [
            _hours_as_decimals({**row, "month": date.fromisoformat(row["month"])}) for row in stored["months"]
        ],
        "figures_as_of": snapshot.computed_at,
        "figures_updating": snapshot.is_stale,
    }


def _hours_as_decimals(row: dict) -> dict:
    for key in _HOURS_KEYS:
        if key in row:
            row[key] = Decimal(row[key])
    return row


# Programme data for reports, filtered by country, organisation and period ------------------------
# `params` are the cleaned ProgrammeParams (reports.params): country, organisation, date_from, date_to.


def programme_projects(user, params: dict) -> QuerySet[MicroProject]:
    projects = projects_visible_to(user)
    if params.get("country"):
        projects = projects.filter(country=params["country"])
    if params.get("organisation"):
        projects = projects.filter(organisation=params["organisation"])
    return projects


def _in_period(queryset: QuerySet, params: dict, field: str = "date") -> QuerySet:
    if params.get("date_from"):
        queryset = queryset.filter(**{f"{field}__gte": params["date_from"]})
    if params.get("date_to"):
        queryset = queryset.filter(**{f"{field}__lte": params["date_to"]})
    return queryset


def programme_activities(user, params: dict) -> QuerySet[Activity]:
    return _in_period(Activity.objects.filter(project__in=programme_projects(user, params)), params).order_by(
        "date", "id"
    )


def programme_indicators(user, params: dict) -> QuerySet[Indicator]:
    return Indicator.objects.filter(project__in=programme_projects(user, params)).order_by(
        "project_id", "name", "id"
    )


def programme_measurements(user, params: dict) -> QuerySet[Measurement]:
    return _in_period(
        Measurement.objects.filter(indicator__project__in=programme_projects(user, params)), params
    ).order_by("date", "id")


def activity_totals(activities: QuerySet[Activity]) -> dict:
    """How many `activities`, their staff and volunteer hours, and every participant count."""
    return activities.order_by().aggregate(**activity_sums())


def projects_with_totals(projects: QuerySet[MicroProject], params: dict) -> QuerySet[MicroProject]:
    """`projects` with their organisation, and their activities and participants in the period."""
    in_period = Q()
    if params.get("date_from"):
        in_period &= Q(activities__date__gte=params["date_from"])
    if params.get("date_to"):
        in_period &= Q(activities__date__lte=params["date_to"])
    return (
        projects.select_related("organisation")
        .annotate(
            activity_count=Count("activities", filter=in_period),
            participant_total=Coalesce(Sum("activities__participants_total", filter=in_period), 0),
        )
        .order_by("country", "organisation__name", "title")
    )
