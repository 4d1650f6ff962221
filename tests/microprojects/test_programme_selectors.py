"""One definition each of the programme's figures: by month, by country, by target group, in total
(microprojects.selectors), read by the dashboard, the project page and the reports."""

import datetime as dt
from decimal import Decimal

from microprojects.models import Activity, MicroProject
from microprojects.selectors import (
    participation_by_country,
    participation_by_month,
    participation_by_target_group,
    programme_figures,
)
from tests.factories import ActivityFactory, MicroProjectFactory, OrganisationFactory, TargetGroupFactory


def test_by_month_fills_the_months_without_activities_with_zeros(db):
    project = MicroProjectFactory()
    ActivityFactory(project=project, date=dt.date(2025, 1, 20), participants_total=5)
    ActivityFactory(project=project, date=dt.date(2025, 3, 2), participants_total=7, staff_hours=2)

    rows = participation_by_month(Activity.objects.filter(project=project))

    assert [(row["month"], row["activities"], row["participants"]) for row in rows] == [
        (dt.date(2025, 1, 1), 1, 5),
        (dt.date(2025, 2, 1), 0, 0),
        (dt.date(2025, 3, 1), 1, 7),
    ]
    assert rows[2]["hours"] == Decimal(2)


def test_by_month_keeps_to_the_months_asked_for(db):
    project = MicroProjectFactory()
    ActivityFactory(project=project, date=dt.date(2024, 12, 31))
    ActivityFactory(project=project, date=dt.date(2025, 2, 28), participants_total=3, participants_new=1)
    ActivityFactory(project=project, date=dt.date(2025, 3, 1))

    rows = participation_by_month(
        Activity.objects.filter(project=project), first=dt.date(2025, 1, 15), last=dt.date(2025, 2, 3)
    )

    assert [(row["month"], row["participants"]) for row in rows] == [
        (dt.date(2025, 1, 1), 0),
        (dt.date(2025, 2, 1), 3),
    ]


def test_by_country_counts_projects_without_activities(db):
    finnish = OrganisationFactory(country="FI")
    with_activity = MicroProjectFactory(organisation=finnish)
    MicroProjectFactory(organisation=finnish)  # nothing logged yet
    ActivityFactory(project=with_activity, participants_total=12)
    projects = MicroProject.objects.all()

    rows = participation_by_country(projects, Activity.objects.filter(project__in=projects))

    assert [(row["country"], row["projects"], row["activities"], row["participants"]) for row in rows] == [
        ("FI", 2, 1, 12)
    ]
    assert str(rows[0]["label"]) == "Finland"


def test_by_target_group_counts_a_project_in_each_of_its_groups(db):
    first, second = TargetGroupFactory(order=1), TargetGroupFactory(order=2)
    both = MicroProjectFactory()
    both.target_groups.set([first, second])
    ActivityFactory(project=both, participants_total=4)
    projects = MicroProject.objects.all()

    rows = participation_by_target_group(projects, Activity.objects.filter(project__in=projects))

    assert [(row["group"], row["projects"], row["participants"]) for row in rows] == [
        (first.pk, 1, 4),
        (second.pk, 1, 4),
    ]


def test_programme_totals_add_up_the_countries(coordinator):
    ActivityFactory(
        project=MicroProjectFactory(organisation=OrganisationFactory(country="LV")), volunteer_hours=3
    )
    swedish = MicroProjectFactory(organisation=OrganisationFactory(country="SE"))
    ActivityFactory(project=swedish, staff_hours=2)
    MicroProjectFactory(status=MicroProject.Status.DRAFT)
    MicroProject.objects.update(status=MicroProject.Status.DRAFT)
    MicroProject.objects.filter(pk=swedish.pk).update(status=MicroProject.Status.ACTIVE)

    figures = programme_figures(coordinator)

    totals = figures["programme_totals"]
    assert (totals["projects"], totals["active_projects"], totals["activities"]) == (3, 1, 2)
    assert totals["participants"] == 20
    assert totals["hours"] == Decimal(5)
    assert sum(row["projects"] for row in figures["by_country"]) == 3


def test_programme_figures_leave_out_what_the_person_may_not_see(social_worker, other_organisation):
    ActivityFactory(project=MicroProjectFactory(organisation=other_organisation))

    figures = programme_figures(social_worker)

    assert figures["programme_totals"]["projects"] == 0
    assert figures["by_country"] == []
