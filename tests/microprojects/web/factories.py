"""Builders for the web tests: a small programme with projects, activities and indicators."""

import datetime as dt

from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    MicroProjectFactory,
    TargetGroupFactory,
)


def project_with_data(*, organisation, lead=None, title=None, target_group=None, **kwargs):
    """A project with two activities and an indicator with one measurement."""
    if title:
        kwargs["title"] = title
    project = MicroProjectFactory(organisation=organisation, **kwargs)
    if target_group is not None:
        project.target_groups.add(target_group)
    if lead is not None:
        project.lead_social_workers.add(lead)
    ActivityFactory(project=project, date=dt.date(2025, 3, 1), participants_total=10, staff_hours=2)
    ActivityFactory(project=project, date=dt.date(2025, 4, 1), participants_total=10, volunteer_hours=3)
    indicator = IndicatorFactory(project=project)
    MeasurementFactory(indicator=indicator, value=5)
    return project


def migrants():
    return TargetGroupFactory(slug="migrants", name="Migrants and refugees", order=1)
