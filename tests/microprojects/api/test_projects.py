import datetime as dt

import pytest

from microprojects.models import MicroProject
from tests.factories import ActivityFactory, MembershipFactory, MicroProjectFactory, OrganisationFactory

from .conftest import ROLES, expect

LIST = "/api/v1/projects/"


def detail(project):
    return f"/api/v1/projects/{project.pk}/"


# Reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("social_worker", True),
        ("other_social_worker", False),
        ("org_admin", True),
        ("coordinator", True),
        ("reviewer", False),
    ],
)
def test_project_list_shows_only_visible_projects(client_for, project, other_project, role, visible):
    response = client_for(role).get(LIST)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert (project.pk in ids) is visible


def test_project_list_anonymous_is_refused(client_for, project):
    response = client_for("anonymous").get(LIST)
    assert response.status_code == expect("anonymous")
    assert "results" not in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_project_detail_permission_matrix(client_for, project, role):
    response = client_for(role).get(detail(project))
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=200, reviewer=404
    )


def test_project_detail_shape(as_user, social_worker, project, target_groups):
    project.target_groups.set(target_groups)
    project.lead_social_workers.set([social_worker])
    ActivityFactory(project=project, participants_total=10)
    ActivityFactory(project=project, participants_total=5, women=3, men=2)
    data = as_user(social_worker).get(detail(project)).json()
    assert data["title"] == "Fruit bags"
    assert data["organisation"] == project.organisation_id
    assert data["organisation_name"] == "Luleå Social Services"
    assert data["country"] == "SE"
    assert data["status"] == "draft"
    assert data["allowed_transitions"] == ["active", "discontinued"]
    assert data["target_groups"] == [g.pk for g in target_groups]
    assert data["lead_social_workers"] == [social_worker.pk]
    assert data["activity_count"] == 2
    assert data["participant_total"] == 15
    assert data["budget_eur"] == "15000.00"


@pytest.mark.parametrize("item_count", [1, 3])
def test_project_list_runs_a_fixed_number_of_queries(
    as_user, social_worker, organisation, target_groups, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        project = MicroProjectFactory(organisation=organisation)
        project.target_groups.set(target_groups)
        project.lead_social_workers.set([social_worker])
        ActivityFactory(project=project)
    client = as_user(social_worker)
    # user (session cached), memberships, count, page, target groups, leads
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert response.json()["count"] == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_project_list_for_coordinator_runs_a_fixed_number_of_queries(
    as_user, coordinator, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        MicroProjectFactory(organisation=OrganisationFactory())
    client = as_user(coordinator)
    # user (session cached), count, page, target groups, leads, and the coordinator's memberships
    # (once: the transitions each project offers depend on whom it belongs to)
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert response.json()["count"] == item_count


# Filters, search, ordering, pagination -----------------------------------------------------------


@pytest.fixture
def programme(coordinator, organisation, other_organisation, target_groups):
    """Four projects over two countries, statuses, settings and target groups."""
    a = MicroProjectFactory(
        organisation=organisation,
        title="Fruit bags",
        status="active",
        setting="urban",
        start_date=dt.date(2025, 1, 1),
    )
    a.target_groups.set([target_groups[0]])
    b = MicroProjectFactory(
        organisation=organisation, title="Bicycle repair", status="draft", start_date=dt.date(2025, 6, 1)
    )
    c = MicroProjectFactory(
        organisation=other_organisation, title="Recipe book", status="active", start_date=dt.date(2024, 3, 1)
    )
    c.target_groups.set(target_groups)
    d = MicroProjectFactory(
        organisation=other_organisation, title="Choir", status="completed", start_date=dt.date(2024, 1, 1)
    )
    return {"a": a, "b": b, "c": c, "d": d}


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=LV", {"Recipe book", "Choir"}),
        ("country=se", {"Fruit bags", "Bicycle repair"}),
        ("status=active", {"Fruit bags", "Recipe book"}),
        ("status=active&status=completed", {"Fruit bags", "Recipe book", "Choir"}),
        ("setting=urban", {"Fruit bags"}),
        ("target_group=migrants-refugees", {"Fruit bags", "Recipe book"}),
        ("target_group=people-with-disabilities", {"Recipe book"}),
        ("start_date_after=2025-01-01", {"Fruit bags", "Bicycle repair"}),
        ("start_date_before=2024-12-31", {"Recipe book", "Choir"}),
        ("search=recipe", {"Recipe book"}),
        ("search=Kuldīga", {"Recipe book", "Choir"}),
    ],
)
def test_project_list_filters(as_user, coordinator, programme, query, expected):
    assert set(titles(as_user(coordinator).get(f"{LIST}?{query}"))) == expected


def test_project_list_filters_by_target_group_id_and_organisation(
    as_user, coordinator, programme, target_groups
):
    client = as_user(coordinator)
    assert set(titles(client.get(f"{LIST}?target_group={target_groups[1].pk}"))) == {"Recipe book"}
    organisation = programme["a"].organisation_id
    assert set(titles(client.get(f"{LIST}?organisation={organisation}"))) == {"Fruit bags", "Bicycle repair"}


def test_project_list_bad_filter_value_names_the_field(as_user, coordinator, programme):
    response = as_user(coordinator).get(f"{LIST}?status=finished")
    assert response.status_code == 400
    assert "status" in response.json()


def test_project_list_ordering(as_user, coordinator, programme):
    client = as_user(coordinator)
    assert titles(client.get(f"{LIST}?ordering=title")) == [
        "Bicycle repair",
        "Choir",
        "Fruit bags",
        "Recipe book",
    ]
    assert titles(client.get(f"{LIST}?ordering=-start_date"))[0] == "Bicycle repair"


def test_project_list_pagination(as_user, coordinator, programme):
    client = as_user(coordinator)
    first = client.get(f"{LIST}?ordering=title&page_size=3").json()
    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert first["next"]
    second = client.get(f"{LIST}?ordering=title&page_size=3&page=2").json()
    assert [row["title"] for row in second["results"]] == ["Recipe book"]
    assert client.get(f"{LIST}?page=9").status_code == 404


# Creating ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_project_create_permission_matrix(client_for, request, snapshot, role):
    before = snapshot()
    response = client_for(role).post(LIST, {"title": "Sewing café"}, format="json")
    assert response.status_code == expect(
        role, social_worker=201, other_social_worker=201, org_admin=201, coordinator=403, reviewer=403
    ), response.content
    if response.status_code == 201:
        user = request.getfixturevalue(role)
        project = MicroProject.objects.get(pk=response.json()["id"])
        assert project.organisation_id in user.organisation_ids
        assert project.created_by == user
    else:
        assert snapshot() == before


def test_project_create_belongs_to_the_workers_organisation(
    as_user, social_worker, organisation, target_groups
):
    response = as_user(social_worker).post(
        LIST,
        {
            "title": "Fruit bags",
            "summary": "Bags from old clothes instead of plastic.",
            "setting": "urban",
            "target_groups": [target_groups[0].pk],
            "lead_social_workers": [social_worker.pk],
            "start_date": "2025-02-01",
            "end_date": "2026-01-31",
            "budget_eur": "12000.50",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["organisation"] == organisation.pk
    assert data["country"] == "SE"
    assert data["status"] == "draft"
    assert data["target_groups"] == [target_groups[0].pk]
    assert data["lead_social_workers"] == [social_worker.pk]
    assert data["activity_count"] == 0
    project = MicroProject.objects.get(pk=data["id"])
    assert project.budget_eur == pytest.approx(12000.5)


def test_project_create_in_an_organisation_one_is_not_in_names_organisation(
    as_user, social_worker, other_organisation
):
    response = as_user(social_worker).post(
        LIST, {"title": "X", "organisation": other_organisation.pk}, format="json"
    )
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not MicroProject.objects.exists()


def test_project_create_by_member_of_two_organisations_needs_organisation(
    as_user, social_worker, other_organisation
):
    MembershipFactory(user=social_worker, organisation=other_organisation)
    client = as_user(social_worker)
    response = client.post(LIST, {"title": "X"}, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    response = client.post(LIST, {"title": "X", "organisation": other_organisation.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["country"] == "LV"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "X", "start_date": "2025-05-01", "end_date": "2025-04-01"}, "end_date"),
        ({"summary": "no title"}, "title"),
        ({"title": "X", "budget_eur": "-1"}, "budget_eur"),
        ({"title": "X", "country": "XX"}, "country"),
        ({"title": "X", "setting": "suburban"}, "setting"),
        ({"title": "X", "start_date": "soon"}, "start_date"),
        ({"title": "X", "target_groups": [999999]}, "target_groups"),
    ],
)
def test_project_create_invalid_input_names_the_field(as_user, social_worker, payload, field):
    response = as_user(social_worker).post(LIST, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not MicroProject.objects.exists()


def test_project_create_lead_from_another_organisation_names_the_field(
    as_user, social_worker, other_social_worker
):
    response = as_user(social_worker).post(
        LIST, {"title": "X", "lead_social_workers": [other_social_worker.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "lead_social_workers" in response.json()
    assert not MicroProject.objects.exists()


def test_project_create_with_token_authentication(api_client, social_worker, organisation):
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "anna", "password": "secret-pass-123"}, format="json"
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.post(LIST, {"title": "Token project"}, format="json")
    assert response.status_code == 201
    assert MicroProject.objects.get(title="Token project").organisation == organisation


# Changing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_project_update_permission_matrix(client_for, project, snapshot, role):
    before = snapshot()
    response = client_for(role).patch(detail(project), {"title": "Renamed"}, format="json")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=403, reviewer=404
    )
    project.refresh_from_db()
    if response.status_code == 200:
        assert project.title == "Renamed"
        assert response.json()["title"] == "Renamed"
    else:
        assert project.title == "Fruit bags"
        assert snapshot() == before


def test_project_update_changes_target_groups_and_keeps_the_rest(
    as_user, social_worker, project, target_groups
):
    response = as_user(social_worker).patch(
        detail(project),
        {"target_groups": [g.pk for g in target_groups], "region": "Norrbotten"},
        format="json",
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert set(project.target_groups.all()) == set(target_groups)
    assert project.region == "Norrbotten"
    assert project.title == "Fruit bags"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"end_date": "2024-01-01"}, "end_date"),
        ({"status": "active"}, "status"),
        ({"title": ""}, "title"),
    ],
)
def test_project_update_invalid_input_names_the_field(
    as_user, social_worker, project, snapshot, payload, field
):
    before = snapshot()
    response = as_user(social_worker).patch(detail(project), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_project_update_cannot_move_the_project_to_another_organisation(
    as_user, social_worker, project, other_organisation
):
    response = as_user(social_worker).patch(
        detail(project), {"organisation": other_organisation.pk}, format="json"
    )
    assert response.status_code == 400
    assert "organisation" in response.json()
    project.refresh_from_db()
    assert project.organisation_id != other_organisation.pk


def test_project_put_is_not_offered(as_user, social_worker, project):
    response = as_user(social_worker).put(detail(project), {"title": "X"}, format="json")
    assert response.status_code == 405


# Transitions -------------------------------------------------------------------------------------


def transition(project):
    return f"/api/v1/projects/{project.pk}/transition/"


@pytest.mark.parametrize("role", ROLES)
def test_project_transition_permission_matrix(client_for, project, snapshot, role):
    before = snapshot()
    response = client_for(role).post(transition(project), {"status": "active"}, format="json")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=403, reviewer=404
    )
    project.refresh_from_db()
    if response.status_code == 200:
        assert project.status == "active"
        assert response.json()["status"] == "active"
        assert response.json()["allowed_transitions"] == ["completed", "discontinued"]
    else:
        assert snapshot() == before


def test_project_transition_not_allowed_names_the_allowed_ones(as_user, social_worker, project):
    response = as_user(social_worker).post(transition(project), {"status": "completed"}, format="json")
    assert response.status_code == 400
    message = response.json()["status"][0]
    assert "Active" in message
    assert "Discontinued" in message
    project.refresh_from_db()
    assert project.status == "draft"


def test_project_transition_unknown_status_names_status(as_user, social_worker, project):
    response = as_user(social_worker).post(transition(project), {"status": "finished"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()


def test_project_transition_repeated_is_a_no_op(as_user, social_worker, project):
    client = as_user(social_worker)
    assert client.post(transition(project), {"status": "active"}, format="json").status_code == 200
    response = client.post(transition(project), {"status": "active"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "active"


# Deleting ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_project_delete_draft_permission_matrix(client_for, project, snapshot, role):
    before = snapshot()
    response = client_for(role).delete(detail(project))
    assert response.status_code == expect(
        role, social_worker=204, other_social_worker=404, org_admin=204, coordinator=403, reviewer=404
    )
    if response.status_code == 204:
        assert not MicroProject.objects.filter(pk=project.pk).exists()
    else:
        assert snapshot() == before


@pytest.mark.parametrize(("role", "status_code"), [("social_worker", 403), ("org_admin", 204)])
def test_project_delete_active_only_by_org_admin(client_for, organisation, role, status_code):
    project = MicroProjectFactory(organisation=organisation, status="active")
    response = client_for(role).delete(detail(project))
    assert response.status_code == status_code
    assert MicroProject.objects.filter(pk=project.pk).exists() is (status_code != 204)


def test_project_delete_refused_while_an_application_refers_to_it(as_user, org_admin, project, snapshot):
    from django.utils import timezone

    from accelerator.models import Application, Round

    now = timezone.now()
    round_ = Round.objects.create(
        title="Round 1",
        opens_at=now,
        closes_at=now + dt.timedelta(days=30),
        review_deadline=now + dt.timedelta(days=40),
    )
    Application.objects.create(round=round_, project=project, submitted_at=now)
    before = snapshot()
    response = as_user(org_admin).delete(detail(project))
    assert response.status_code == 400
    assert "Discontinue" in response.json()["non_field_errors"][0]
    assert snapshot() == before


def test_an_organisation_admin_makes_a_discontinued_project_active_again(
    as_user, social_worker, org_admin, project
):
    as_user(social_worker).post(transition(project), {"status": "discontinued"}, format="json")
    refused = as_user(social_worker).post(transition(project), {"status": "active"}, format="json")
    assert refused.status_code == 400
    assert "Only an admin of" in refused.json()["status"][0]
    assert as_user(social_worker).get(f"/api/v1/projects/{project.pk}/").json()["allowed_transitions"] == []
    admin = as_user(org_admin)
    assert admin.get(f"/api/v1/projects/{project.pk}/").json()["allowed_transitions"] == ["active"]
    reopened = admin.post(transition(project), {"status": "active"}, format="json")
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "active"
