"""Demo reports for `manage.py seed_demo`: a few finished reports, so the Reports page has files to
download on a fresh demo. Rendered in-process (no worker or Redis needed); idempotent."""

from django.contrib.auth import get_user_model

from microprojects.selectors import projects_visible_to
from reports import services
from reports.kinds import get_kind
from reports.models import ReportJob

from .microprojects import demo_projects


def _wanted():
    users = get_user_model().objects.in_bulk(["coordinator", "anna"], field_name="username")
    wanted = []
    coordinator, anna = users.get("coordinator"), users.get("anna")
    if coordinator is not None:
        wanted += [(coordinator, "programme", {}), (coordinator, "programme_xlsx", {})]
        if get_kind("startups") is not None:
            wanted.append((coordinator, "startups", {}))
    if anna is not None:
        project = projects_visible_to(anna).filter(pk__in=demo_projects().values("pk")).order_by("pk").first()
        if project is not None:
            wanted.append((anna, "project", {"project": project.pk}))
    return wanted


def seed(*, stdout) -> None:
    made = 0
    for user, kind, params in _wanted():
        done = ReportJob.objects.filter(requested_by=user, kind=kind, status=ReportJob.Status.SUCCEEDED)
        if done.exists():
            continue
        job, _created = services.report_request(
            by=user, kind=kind, params=params, language="en", enqueue=False
        )
        services.report_run(job_id=job.pk, worker="seed_demo", heartbeat=False)
        made += 1
    stdout.write(f"Reports: {made} demo report(s) made.")
