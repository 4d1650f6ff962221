"""Objects the notification and calendar tests share: an application of `organisation`'s project in
an open round, a reviewer's assignment, a start-up."""

import datetime as dt

from django.utils import timezone

from accelerator.models import Application, ReviewAssignment, Round, StartUp
from tests.accelerator.factories import RoundFactory
from tests.factories import MicroProjectFactory


def application_in(organisation, round=None, **project):
    round = round or RoundFactory(status=Round.Status.REVIEWING)
    return Application.objects.create(
        round=round,
        project=MicroProjectFactory(organisation=organisation, **project),
        submitted_at=timezone.now(),
    )


def assignment_for(reviewer, organisation, *, deadline_in_days=30):
    deadline = timezone.now() + dt.timedelta(days=deadline_in_days)
    round = RoundFactory(
        status=Round.Status.REVIEWING,
        opens_at=deadline - dt.timedelta(days=40),
        closes_at=deadline - dt.timedelta(days=10),
        review_deadline=deadline,
    )
    return ReviewAssignment.objects.create(application=application_in(organisation, round), reviewer=reviewer)


def startup_of(organisation, *, lead=None, name="Village Bakery", created_days_ago=90):
    application = application_in(organisation, RoundFactory(status=Round.Status.OPEN))
    if lead is not None:
        application.project.lead_social_workers.add(lead)
    startup = StartUp.objects.create(application=application, name=name)
    StartUp.objects.filter(pk=startup.pk).update(
        created_at=timezone.now() - dt.timedelta(days=created_days_ago)
    )
    return startup


def progress_report_of(organisation, *, due_in_days, lead=None, status="draft"):
    from programme.models import ProgressReport, ReportingPeriod

    due = timezone.localdate() + dt.timedelta(days=due_in_days)
    period, _ = ReportingPeriod.objects.get_or_create(
        start=due - dt.timedelta(days=200), end=due - dt.timedelta(days=20), defaults={"due": due}
    )
    project = MicroProjectFactory(organisation=organisation, status="active")
    if lead is not None:
        project.lead_social_workers.add(lead)
    return ProgressReport.objects.create(period=period, project=project, status=status)
