"""Organisations and target groups."""

import pytest

from microprojects.models import TargetGroup
from tests.factories import OrganisationFactory

from .conftest import ROLES, expect


@pytest.mark.parametrize("role", ROLES)
def test_organisation_list_permission_matrix(client_for, organisation, other_organisation, role):
    response = client_for(role).get("/api/v1/organisations/")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=200, org_admin=200, coordinator=200, reviewer=200
    )
    if response.status_code == 200:
        names = {row["name"] for row in response.json()["results"]}
        assert (
            names
            == {
                "social_worker": {"Luleå Social Services"},
                "other_social_worker": {"Kuldīga Social Service"},
                "org_admin": {"Luleå Social Services"},
                "coordinator": {"Luleå Social Services", "Kuldīga Social Service"},
                "reviewer": set(),
            }[role]
        )


@pytest.mark.parametrize("role", ROLES)
def test_organisation_detail_permission_matrix(client_for, organisation, role):
    response = client_for(role).get(f"/api/v1/organisations/{organisation.pk}/")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=200, reviewer=404
    )


@pytest.mark.parametrize("role", ["social_worker", "coordinator"])
def test_organisations_are_read_only(client_for, organisation, role):
    client = client_for(role)
    assert client.post("/api/v1/organisations/", {"name": "New"}, format="json").status_code == 405
    response = client.patch(f"/api/v1/organisations/{organisation.pk}/", {"name": "Renamed"}, format="json")
    assert response.status_code == 405
    organisation.refresh_from_db()
    assert organisation.name == "Luleå Social Services"


def test_organisation_list_filters_by_country(as_user, coordinator, organisation, other_organisation):
    response = as_user(coordinator).get("/api/v1/organisations/?country=LV")
    assert [row["name"] for row in response.json()["results"]] == ["Kuldīga Social Service"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_organisation_list_runs_a_fixed_number_of_queries(
    as_user, coordinator, django_assert_num_queries, item_count
):
    OrganisationFactory.create_batch(item_count)
    client = as_user(coordinator)
    # user (session cached), count, page
    with django_assert_num_queries(3):
        response = client.get("/api/v1/organisations/")
    assert response.json()["count"] == item_count


@pytest.mark.parametrize("role", ROLES)
def test_target_group_list_permission_matrix(client_for, target_groups, role):
    response = client_for(role).get("/api/v1/target-groups/")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=200, org_admin=200, coordinator=200, reviewer=200
    )
    if response.status_code == 200:
        slugs = [row["slug"] for row in response.json()["results"]]
        assert slugs == list(TargetGroup.objects.order_by("order", "name").values_list("slug", flat=True))
        assert {group.slug for group in target_groups} <= set(slugs)


def test_target_groups_are_read_only(as_user, coordinator, target_groups):
    response = as_user(coordinator).post("/api/v1/target-groups/", {"slug": "x", "name": "X"}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize("item_count", [1, 3])
def test_target_group_list_runs_a_fixed_number_of_queries(
    as_user, social_worker, django_assert_num_queries, item_count
):
    TargetGroup.objects.all().delete()
    for number in range(item_count):
        TargetGroup.objects.create(slug=f"group-{number}", name=f"Group {number}", order=number)
    client = as_user(social_worker)
    # user (session cached), count, page
    with django_assert_num_queries(3):
        response = client.get("/api/v1/target-groups/")
    assert response.json()["count"] == item_count


def test_target_group_names_are_translated(as_user, social_worker, target_groups):
    response = as_user(social_worker).get("/api/v1/target-groups/?slug=migrants-refugees")
    assert response.json()["results"][0]["name"] == str(target_groups[0])


@pytest.mark.parametrize("role", ROLES)
def test_target_group_detail_permission_matrix(client_for, target_groups, role):
    response = client_for(role).get(f"/api/v1/target-groups/{target_groups[0].pk}/")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=200, org_admin=200, coordinator=200, reviewer=200
    )
    if response.status_code == 200:
        assert response.json()["slug"] == "migrants-refugees"
