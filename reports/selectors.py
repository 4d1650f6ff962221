"""Reads for reports: the jobs a user may see, and the data each report kind is made of.

Report data always starts from `projects_visible_to(requester)`, so a report never holds more than
its requester could see in the web UI, and is filtered in SQL (no per-row queries)."""

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from microprojects.models import Activity, Indicator, Measurement, MicroProject
from microprojects.selectors import projects_visible_to, with_progress

from .models import ReportJob


def reports_visible_to(user) -> QuerySet[ReportJob]:
    """Own jobs; coordinators see everyone's."""
    if not user.is_authenticated:
        return ReportJob.objects.none()
    jobs = ReportJob.objects.select_related("requested_by")
    if user.is_coordinator:
        return jobs
    return jobs.filter(requested_by=user)


# Programme data, filtered by country, organisation and date range ------------------------------


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


HOURS = DecimalField(max_digits=14, decimal_places=2)
PARTICIPANT_FIELDS = ("participants_total", "participants_new", *Activity.GENDER_FIELDS, *Activity.AGE_FIELDS)


def _participant_sums(prefix: str = "") -> dict:
    return {field: Coalesce(Sum(f"{prefix}{field}"), 0) for field in PARTICIPANT_FIELDS}


def activity_totals(activities: QuerySet[Activity]) -> dict:
    return activities.order_by().aggregate(
        activities=Count("id"),
        staff_hours=Coalesce(Sum("staff_hours"), Value(0), output_field=HOURS),
        volunteer_hours=Coalesce(Sum("volunteer_hours"), Value(0), output_field=HOURS),
        **_participant_sums(),
    )


def participants_by_month(activities: QuerySet[Activity]) -> list[dict]:
    return list(
        activities.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(activities=Count("id"), **_participant_sums())
        .order_by("month")
    )


def participants_by_country(activities: QuerySet[Activity]) -> list[dict]:
    return list(
        activities.order_by()
        .values("project__country")
        .annotate(projects=Count("project", distinct=True), activities=Count("id"), **_participant_sums())
        .order_by("project__country")
    )


def participants_by_target_group(activities: QuerySet[Activity]) -> list[dict]:
    """Per target group of the activity's project (a project serving two groups counts in both)."""
    return list(
        activities.order_by()
        .filter(project__target_groups__isnull=False)
        .values("project__target_groups__name", "project__target_groups__order")
        .annotate(projects=Count("project", distinct=True), activities=Count("id"), **_participant_sums())
        .order_by("project__target_groups__order", "project__target_groups__name")
    )


def projects_with_totals(projects: QuerySet[MicroProject], params: dict) -> QuerySet[MicroProject]:
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


def indicators_with_progress(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    return with_progress(indicators.select_related("project"))
