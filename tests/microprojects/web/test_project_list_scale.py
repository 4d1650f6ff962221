"""The project list's filter choices at programme scale: countries read one at a time from the
index, organisations listed only while they are few, and the same queries however many there are."""

import pytest
from django.urls import reverse

from microprojects.forms import ProjectFilter
from microprojects.selectors import project_countries
from tests.factories import MicroProjectFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("microprojects:list")


def test_a_coordinator_gets_every_country_with_projects_once(coordinator):
    for country in ("LV", "SE", "LV", "FI"):
        MicroProjectFactory(organisation=OrganisationFactory(country=country))

    assert project_countries(coordinator) == ["FI", "LV", "SE"]


def test_a_social_worker_gets_the_countries_of_their_projects(social_worker, organisation):
    MicroProjectFactory(organisation=organisation)
    MicroProjectFactory(organisation=OrganisationFactory(country="LV"))

    assert project_countries(social_worker) == [organisation.country.code]


def test_few_organisations_are_listed(client_for, coordinator, organisation, other_organisation):
    response = client_for(coordinator).get(LIST)

    assert '<select name="organisation"' in response.text
    assert f'<option value="{organisation.pk}">{organisation.name}</option>' in response.text
    assert f'<option value="{other_organisation.pk}">{other_organisation.name}</option>' in response.text


def test_many_organisations_are_found_by_the_search_box_and_a_link_still_filters(
    client_for, coordinator, organisation, other_organisation, monkeypatch
):
    monkeypatch.setattr(ProjectFilter, "ORGANISATION_CHOICES", 1)
    ours = MicroProjectFactory(organisation=organisation, title="Ours")
    MicroProjectFactory(organisation=other_organisation, title="Theirs")

    response = client_for(coordinator).get(LIST, {"organisation": organisation.pk})

    assert '<select name="organisation"' not in response.text
    assert f'<input type="hidden" name="organisation" value="{organisation.pk}"' in response.text
    assert list(response.context["page"].object_list) == [ours]


@pytest.mark.parametrize("organisation_count", [1, 3])
def test_the_coordinators_list_runs_the_same_queries_listed_or_not(
    client_for, coordinator, django_assert_num_queries, monkeypatch, organisation_count
):
    monkeypatch.setattr(ProjectFilter, "ORGANISATION_CHOICES", 2)
    for _ in range(organisation_count):
        MicroProjectFactory(organisation=OrganisationFactory(), status="draft")
    client = client_for(coordinator)

    # user (session cached), memberships, organisations, countries, page count, permissions (2),
    # target groups, projects, their target groups and leads; the same whether the organisations
    # are listed (1) or not (3)
    with django_assert_num_queries(11):
        response = client.get(LIST, {"status": "draft"})
    assert len(response.context["page"].object_list) == organisation_count
