import datetime as dt

import pytest
from django.urls import reverse

from microprojects.models import MicroProject
from tests.factories import ActivityFactory, IndicatorFactory, MeasurementFactory, MicroProjectFactory
from tests.microprojects.web.factories import migrants, project_with_data

DASHBOARD = reverse("dashboard")


def test_dashboard_anonymous_is_sent_to_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_social_worker_sees_own_projects_only(
    client_for, social_worker, organisation, other_organisation
):
    project_with_data(organisation=organisation, title="Fruit bags in Luleå", lead=social_worker)
    project_with_data(organisation=other_organisation, title="Recipe book in Kuldīga")

    response = client_for(social_worker).get(DASHBOARD)

    assert response.status_code == 200
    assert [p.title for p in response.context["my_projects"]] == ["Fruit bags in Luleå"]
    assert "Recipe book in Kuldīga" not in response.text
    assert response.context["my_projects"][0].is_lead is True
    assert "Programme" not in response.text  # coordinator section absent
    assert reverse("microprojects:activity_quick_log") in response.text


def test_dashboard_social_worker_recent_activities_are_own(
    client_for, social_worker, organisation, other_organisation
):
    own = project_with_data(organisation=organisation)
    project_with_data(organisation=other_organisation)

    response = client_for(social_worker).get(DASHBOARD)

    assert {a.project_id for a in response.context["recent_activities"]} == {own.pk}


def test_dashboard_lists_off_track_indicators(client_for, social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation, start_date=dt.date(2024, 1, 1))
    lagging = IndicatorFactory(project=project, name="Bags sold", target=100, target_date=dt.date(2025, 1, 1))
    MeasurementFactory(indicator=lagging, value=10)
    reached = IndicatorFactory(project=project, name="Members", target=10, target_date=dt.date(2025, 1, 1))
    MeasurementFactory(indicator=reached, value=12)

    response = client_for(social_worker).get(DASHBOARD)

    assert [i.name for i in response.context["off_track_indicators"]] == ["Bags sold"]
    assert "Bags sold" in response.text


def test_dashboard_empty_state_tells_what_to_do(client_for, social_worker):
    response = client_for(social_worker).get(DASHBOARD)

    assert "Your organisation has no projects yet." in response.text
    assert reverse("microprojects:create") in response.text


def test_dashboard_coordinator_totals_by_country_and_target_group(
    client_for, coordinator, organisation, other_organisation
):
    group = migrants()
    project_with_data(organisation=organisation, target_group=group)  # SE: 2 activities, 20 people, 5 hours
    project_with_data(organisation=organisation)  # SE, no target group
    latvian = project_with_data(organisation=other_organisation, target_group=group)  # LV
    ActivityFactory(
        project=latvian,
        participants_total=7,
        women=None,
        men=None,
        non_binary=None,
        gender_not_stated=None,
        participants_new=None,
    )

    response = client_for(coordinator).get(DASHBOARD)

    assert response.status_code == 200
    totals = response.context["programme_totals"]
    assert totals["projects"] == 3
    assert totals["activities"] == 7
    assert totals["participants"] == 67
    assert totals["hours"] == 15
    by_country = {row["country"]: row for row in response.context["by_country"]}
    assert by_country["SE"]["projects"] == 2
    assert by_country["SE"]["participants"] == 40
    assert by_country["LV"]["activities"] == 3
    assert by_country["LV"]["participants"] == 27
    (migrant_row,) = response.context["by_target_group"]
    assert migrant_row["label"] == "Migrants and refugees"
    assert migrant_row["projects"] == 2
    assert migrant_row["participants"] == 47
    # Charts are inline, accessible SVG without scripts.
    assert 'role="img"' in response.text
    assert '<script type="text/javascript">window.pygal' not in response.text
    assert "Participants by country" in response.text


def test_dashboard_reviewer_sees_no_project_data(client_for, reviewer, organisation):
    project_with_data(organisation=organisation, title="Fruit bags in Luleå")

    response = client_for(reviewer).get(DASHBOARD)

    assert response.status_code == 200
    assert "Fruit bags in Luleå" not in response.text
    assert "my_projects" not in response.context
    assert "programme_totals" not in response.context
    assert "/accelerator/" in response.text


@pytest.mark.parametrize("item_count", [1, 3])
def test_dashboard_social_worker_query_count(
    client_for, social_worker, organisation, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        project_with_data(organisation=organisation, lead=social_worker, target_group=migrants())
    client = client_for(social_worker)

    # user (session cached), memberships, my projects, project count, recent activities, indicators,
    # client contributions waiting for review, progress reports to write
    with django_assert_num_queries(8):
        response = client.get(DASHBOARD)
    assert len(response.context["my_projects"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_dashboard_coordinator_query_count(
    client_for, coordinator, organisation, other_organisation, django_assert_num_queries, item_count
):
    for index in range(item_count):
        project_with_data(
            organisation=organisation if index % 2 else other_organisation, target_group=migrants()
        )
    client = client_for(coordinator)
    client.get(DASHBOARD)  # the first visit computes the programme figures once and keeps them

    # user (session cached), memberships, the precomputed programme figures, progress reports waiting
    with django_assert_num_queries(4):
        response = client.get(DASHBOARD)
    assert response.context["programme_totals"]["projects"] == item_count


def test_dashboard_coordinator_counts_every_status(client_for, coordinator, organisation):
    MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)
    MicroProjectFactory(organisation=organisation, status=MicroProject.Status.ACTIVE)

    response = client_for(coordinator).get(DASHBOARD)

    assert response.context["programme_totals"]["projects"] == 2
    assert response.context["programme_totals"]["active_projects"] == 1
