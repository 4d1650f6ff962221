"""Reads. Every queryset of micro project data starts from one of these, so nobody sees another
organisation's data, and each list runs a fixed number of queries."""

from datetime import date

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from sempre.models import Organisation

from .models import Activity, Indicator, Measurement, MicroProject, TargetGroup


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_coordinator:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=user.organisation_ids)


def projects_visible_to(user) -> QuerySet[MicroProject]:
    if not user.is_authenticated:
        return MicroProject.objects.none()
    if user.is_coordinator:
        return MicroProject.objects.all()
    return MicroProject.objects.filter(organisation_id__in=user.organisation_ids)


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
            activity_count=Count("activities", distinct=True),
            participant_total=Coalesce(
                Subquery(
                    Activity.objects.filter(project=OuterRef("pk"))
                    .order_by()
                    .values("project")
                    .annotate(total=Sum("participants_total"))
                    .values("total")[:1]
                ),
                0,
            ),
        )
    )


def activities_visible_to(user) -> QuerySet[Activity]:
    return Activity.objects.filter(project__in=projects_visible_to(user)).select_related(
        "project", "project__organisation"
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
        measurement_count=Count("measurements", distinct=True),
    ).annotate(
        progress=Case(
            When(latest_value__isnull=True, then=Value(None)),
            When(baseline__isnull=True, then=Value(None)),
            When(target__isnull=True, then=Value(None)),
            default=ExpressionWrapper(
                (F("latest_value") - F("baseline")) * Value(100) / NullIf(F("target") - F("baseline"), Value(0)),
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
