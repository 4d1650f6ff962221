"""Progress reports' reminders and calendar events, registered with the core
(sempre.notifications, sempre.calendar) from `ProgrammeConfig.ready()`:

- kind "programme.progress_report_due": a report still to be submitted (draft or returned) 14 days
  and 3 days before its period's due date, and once it is late; to the project's lead social
  workers (a project without leads: every member of its organisation);
- in the calendar feed: each report's due date for the staff of its project, and each period's
  due date for coordinators (one event per period, not one per project).
"""

from datetime import timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from microprojects.notifications import project_recipients, recipient_prefetch
from sempre import calendar, notifications
from sempre.models import Delivery
from sempre.rules import is_org_staff

from ..models import ProgressReport
from .selectors import periods_list, reports_visible_to

WARNINGS = (14, 3)  # days before the due date


def occasion_of(report: ProgressReport, today) -> str | None:
    """ "due-14", "due-3", "late" or None (nothing to say yet)."""
    days = (report.period.due - today).days
    if days < 0:
        return "late"
    for warning in sorted(WARNINGS):
        if days <= warning:
            return f"due-{warning}"
    return None


def reports_due(now):
    today = now.date()
    reports = (
        ProgressReport.objects.filter(
            status__in=ProgressReport.EDITABLE, period__due__lte=today + timedelta(days=max(WARNINGS))
        )
        .select_related("period", "project__organisation")
        .prefetch_related(*recipient_prefetch("project__"))
        .order_by("pk")
    )
    for report in reports:
        occasion = occasion_of(report, today)
        if occasion is None:
            continue

        def title(report=report, occasion=occasion):
            values = {
                "project": report.project.title,
                "period": str(report.period),
                "due": date_format(report.period.due),
            }
            if occasion == "late":
                return (
                    _("Progress report of %(project)s for %(period)s is late: it was due on %(due)s") % values
                )
            return _("Progress report of %(project)s for %(period)s is due on %(due)s") % values

        for person in project_recipients(report.project):
            yield notifications.Due(
                recipient=person,
                target=report,
                occasion=occasion,
                title=title,
                url=reverse("programme:progress_report", args=[report.pk]),
            )


def report_deadlines(user):
    """Due dates of the reports of one's own organisations' projects; for coordinators, of every
    period. Two queries at most."""
    if user.organisation_ids:
        reports = (
            reports_visible_to(user)
            .filter(project__organisation_id__in=user.organisation_ids)
            .select_related("period", "project")
            .order_by("pk")
        )
        for report in reports:
            yield calendar.Event(
                uid=f"programme-report-{report.pk}-due",
                summary=_("Progress report due: %(project)s (%(period)s)")
                % {"project": report.project.title, "period": str(report.period)},
                start=report.period.due,
                url=reverse("programme:progress_report", args=[report.pk]),
            )
    if user.is_coordinator:
        for period in periods_list():
            yield calendar.Event(
                uid=f"programme-period-{period.pk}-due",
                summary=_("Progress reports due for %(period)s") % {"period": str(period)},
                start=period.due,
                url=reverse("programme:progress_reports"),
            )


def register() -> None:
    notifications.register(
        notifications.Kind(
            key="programme.progress_report_due",
            label=gettext_lazy("Progress reports due or late"),
            help_text=gettext_lazy("14 days and 3 days before a report is due, and when it is late."),
            due=reports_due,
            shown_to=is_org_staff,
            default=Delivery.IMMEDIATELY,
            order=100,
        )
    )
    calendar.register(calendar.Source(key="programme", events=report_deadlines))
