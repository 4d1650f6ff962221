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
