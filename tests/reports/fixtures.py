"""What report tests share: a project with activities and an indicator, one in another
organisation, and the text of a PDF; the conftests of tests/reports, tests/microprojects and tests/accelerator
import the fixtures for the tests of the report kinds (tests/<app>/test_reports.py)."""

import datetime as dt
import io

import pypdf
import pytest
from django.utils import timezone

from accelerator.models import (
    Application,
    Decision,
    Milestone,
    MonthlyFigure,
    Review,
    ReviewAssignment,
    Score,
    StartUp,
)
from microprojects.models import TargetGroup
from tests.accelerator.factories import CriterionFactory, RoundFactory
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    MicroProjectFactory,
    UserFactory,
)


@pytest.fixture
def project(organisation):
    project = MicroProjectFactory(organisation=organisation, title="Fruit bags for Luleå")
    group, _ = TargetGroup.objects.get_or_create(slug="migrants", defaults={"name": "Migrants"})
    project.target_groups.add(group)
    ActivityFactory(
        project=project, date=dt.date(2025, 3, 4), title="Kick-off workshop", participants_total=12,
        participants_new=12, women=7, men=3, non_binary=0, gender_not_stated=2,
    )  # fmt: skip
    ActivityFactory(
        project=project, date=dt.date(2025, 5, 20), title="Packing day", participants_total=9,
        participants_new=2, women=5, men=4, non_binary=0, gender_not_stated=0,
    )  # fmt: skip
    indicator = IndicatorFactory(project=project, name="Clients with earned income", baseline=0, target=20)
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 6, 1), value=5)
    return project


@pytest.fixture
def other_project(other_organisation):
    project = MicroProjectFactory(organisation=other_organisation, title="Repair café Kuldīga")
    ActivityFactory(project=project, date=dt.date(2025, 4, 2), title="Repair evening", participants_total=30,
                    participants_new=10, women=15, men=15, non_binary=0, gender_not_stated=0)  # fmt: skip
    return project


def pdf_text(job) -> str:
    with job.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def decided_round(project, other_project, coordinator):
    the_round = RoundFactory(title="Spring 2026", places=1)
    impact = CriterionFactory(round=the_round, name="Social impact", weight=3)
    income = CriterionFactory(round=the_round, name="Earned income", weight=1)
    reviewers = [UserFactory(username=f"jury{n}", is_reviewer=True) for n in range(2)]
    applications = {}
    for item, scores in ((project, (5, 4)), (other_project, (2, 3))):
        application = Application.objects.create(round=the_round, project=item, submitted_at=timezone.now())
        applications[item.pk] = application
        for reviewer in reviewers:
            assignment = ReviewAssignment.objects.create(application=application, reviewer=reviewer)
            review = Review.objects.create(assignment=assignment, submitted_at=timezone.now())
            Score.objects.create(review=review, criterion=impact, value=scores[0])
            Score.objects.create(review=review, criterion=income, value=scores[1])
    Decision.objects.create(
        application=applications[project.pk],
        outcome=Decision.Outcome.SELECTED,
        rationale="Clients designed the fruit bags themselves.",
        decided_by=coordinator,
    )
    startup = StartUp.objects.create(application=applications[project.pk], name="Fruit Bags Luleå ek. för.")
    MonthlyFigure.objects.create(startup=startup, month=dt.date(2026, 1, 1), earned_income=600, costs=1200)
    MonthlyFigure.objects.create(startup=startup, month=dt.date(2026, 2, 1), earned_income=900, costs=1000)
    Milestone.objects.create(startup=startup, title="First regular customer", due=timezone.localdate())
    return the_round
