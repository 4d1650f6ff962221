"""The dashboard panel of progress reports: the team's reports to write, the coordinator's to read."""

from django.db.models import Count, Q

from ..models import ProgressReport
from . import selectors

SHOWN = 5


def dashboard_progress_context(request) -> dict:
    user = request.user
    if user.is_coordinator:
        counts = selectors.reports_visible_to(user).aggregate(
            waiting=Count("pk", filter=Q(status=ProgressReport.Status.SUBMITTED))
        )
        return {"progress_waiting": counts["waiting"], "progress_to_write": []}
    reports = list(selectors.reports_to_write(user)[:SHOWN])
    for report in reports:
        report.days_late = selectors.days_late(report)
    return {"progress_to_write": reports, "progress_waiting": None}
