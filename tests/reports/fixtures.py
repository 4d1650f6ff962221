"""What report tests share: a project with activities and an indicator, one in another
organisation, and the text of a PDF; the conftests of tests/reports, tests/microprojects and tests/accelerator
import the fixtures for the tests of the report kinds (tests/<app>/test_reports.py)."""

import datetime as dt
import io

import pypdf
import pytest

from microprojects.models import TargetGroup
from tests.factories import ActivityFactory, IndicatorFactory, MeasurementFactory, MicroProjectFactory


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
