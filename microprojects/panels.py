"""The micro projects' panels on the dashboard: a social worker's own projects, recent activities
and indicators off track, and the coordinator's programme figures with charts. Registered with the
core's dashboard (sempre.panels) from MicroprojectsConfig.ready()."""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from sempre import charts, panels
from sempre.rules import is_coordinator, is_org_staff

from . import services
from .models import Activity, MicroProject
from .selectors import (
    activities_visible_to,
    indicator_is_off_track,
    indicators_visible_to,
    participation_by_month,
    programme_figures,
    programme_figures_from_store,
    programme_figures_snapshot,
    programme_months,
    project_list,
    projects_visible_to,
)

MY_PROJECTS_LENGTH = 8
RECENT_ACTIVITIES_LENGTH = 8


def register() -> None:
    panels.DASHBOARD.register(
        panels.Panel(
            name="my_work",
            template="microprojects/_dashboard_my_work.html",
            order=100,
            shown_to=is_org_staff,
            context=my_work,
        )
    )
    panels.DASHBOARD.register(
        panels.Panel(
            name="programme",
            template="microprojects/_dashboard_programme.html",
            order=200,
            shown_to=is_coordinator,
            context=programme,
        )
    )


def my_work(request) -> dict:
    """A social worker's or organisation admin's own projects (leads first), recent activities and
    the indicators off track in the active projects of their organisations."""
    user = request.user
    own = {"organisation_id__in": user.organisation_ids}
    my_projects = list(
        project_list(user)
        .prefetch_related(None)  # the dashboard shows neither target groups nor leads
        .filter(**own)
        .annotate(
            is_lead=Exists(
                MicroProject.lead_social_workers.through.objects.filter(
                    microproject_id=OuterRef("pk"), user_id=user.pk
                )
            )
        )
        .order_by("-is_lead", "status", "title")[:MY_PROJECTS_LENGTH]
    )
    recent_activities = list(
        activities_visible_to(user).filter(project__organisation_id__in=user.organisation_ids)[
            :RECENT_ACTIVITIES_LENGTH
        ]
    )
    indicators = indicators_visible_to(user).filter(
        project__organisation_id__in=user.organisation_ids,
        project__status=MicroProject.Status.ACTIVE,
        target_date__isnull=False,
    )
    today = timezone.localdate()
    return {
        "my_projects": my_projects,
        "project_count": projects_visible_to(user).filter(**own).count(),
        "recent_activities": recent_activities,
        "off_track_indicators": [
            indicator
            for indicator in indicators.order_by("target_date", "name")
            if indicator_is_off_track(indicator, today=today)
        ],
    }


def programme(request) -> dict:
    """The programme's totals, by country and by target group, with their charts and the last twelve
    months, as precomputed (selectors.programme_figures_snapshot: one query however large the
    programme) with the time they were counted. Nothing computed yet: computed here, once, and
    kept (services.figures_refresh). A user who sees only part of the programme (the panel is
    shown to coordinators, who see all of it) gets their own figures, counted live."""
    figures = programme_figures_snapshot(request.user)
    if figures is None and request.user.is_coordinator:
        figures = programme_figures_from_store(services.figures_refresh())
    if figures is None:
        first, last = programme_months()
        activities = Activity.objects.filter(project__in=projects_visible_to(request.user))
        figures = {
            **programme_figures(request.user),
            "months": participation_by_month(activities, first=first, last=last),
        }
    return {
        **figures,
        "country_chart": breakdown_chart(figures["by_country"], title=_("Participants by country")),
        "target_group_chart": breakdown_chart(
            figures["by_target_group"], title=_("Participants by target group")
        ),
        "monthly_chart": participation_chart(
            figures["months"], title=_("Activities and participants over the last twelve months")
        ),
    }


def breakdown_chart(rows, *, title):
    """A bar chart of participants; the page shows the full numbers in a table next to it."""
    if not rows:
        return ""
    labels = [row["label"] for row in rows]
    series = {_("Participants"): [row["participants"] for row in rows]}
    return charts.figure(svg=charts.bar_chart(title=title, labels=labels, series=series, horizontal=True))


def participation_chart(rows: list[dict], *, title) -> str:
    """A line chart of participants and activities per month, with the figures as a table, from the
    rows of microprojects.selectors.participation_by_month; no rows, no chart."""
    if not rows:
        return ""
    months = [row["month"] for row in rows]
    series = {
        _("Participants"): [row["participants"] for row in rows],
        _("Activities"): [row["activities"] for row in rows],
    }
    return charts.figure(
        svg=charts.line_chart_by_month(title=title, months=months, series=series),
        table=charts.data_table(
            caption=title,
            labels=[charts.month_label(m) for m in months],
            series=series,
            label_heading=_("Month"),
        ),
    )
