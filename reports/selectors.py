"""Reads of report jobs. The data a report is made of is read by the app whose kind it is, as its
requester may see it (`microprojects.selectors.programme_projects` and the like)."""

from django.db.models import QuerySet

from .models import ReportJob


def reports_visible_to(user) -> QuerySet[ReportJob]:
    """Own jobs; coordinators see everyone's."""
    if not user.is_authenticated:
        return ReportJob.objects.none()
    jobs = ReportJob.objects.select_related("requested_by")
    if user.is_coordinator:
        return jobs
    return jobs.filter(requested_by=user)
