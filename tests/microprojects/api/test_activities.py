import datetime as dt

import pytest

from microprojects.models import Activity
from tests.factories import ActivityFactory, MicroProjectFactory

from .conftest import ROLES, expect

LIST = "/api/v1/activities/"

VALID = {
    "date": "2025-04-02",
    "kind": "workshop",
    "title": "Sewing fruit bags",
    "staff_hours": "3.5",
    "participants_total": 10,
    "participants_new": 3,
    "women": 7,
    "men": 3,
    "age_18_29": 4,
    "age_30_54": 6,
}


def nested(project):
    return f"/api/v1/projects/{project.pk}/activities/"


def detail(activity):
    return f"/api/v1/activities/{activity.pk}/"


# Reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_project_activities_list_permission_matrix(client_for, activity, role):
    response = client_for(role).get(nested(activity.project))
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=200, reviewer=404
    )
    if response.status_code == 200:
        assert [row["id"] for row in response.json()["results"]] == [activity.pk]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("social_worker", 200), ("other_social_worker", 404), ("coordinator", 200), ("reviewer", 404)],
)
def test_project_activities_of_an_empty_project_answer_by_visibility(client_for, project, role, expected):
    # An empty page cannot tell a project without activities from one the user may not see.
    response = client_for(role).get(nested(project))
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["count"] == 0


def test_project_activities_of_a_missing_project_is_404(as_user, coordinator):
    assert as_user(coordinator).get("/api/v1/projects/999999/activities/").status_code == 404


def test_project_activities_bring_the_project_title(as_user, social_worker, activity):
    row = as_user(social_worker).get(nested(activity.project)).json()["results"][0]
    assert (row["project"], row["project_title"]) == (activity.project_id, activity.project.title)


@pytest.mark.parametrize("role", ROLES)
def test_activity_detail_permission_matrix(client_for, activity, role):
    response = client_for(role).get(detail(activity))
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=200, reviewer=404
    )


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
def test_activity_list_shows_only_visible_activities(client_for, activity, role, visible):
    response = client_for(role).get(LIST)
    assert response.status_code == 200
    assert (activity.pk in {row["id"] for row in response.json()["results"]}) is visible


def test_activity_list_anonymous_is_refused(client_for, activity):
    assert client_for("anonymous").get(LIST).status_code == expect("anonymous")


def test_activity_list_filters_by_project_and_date_range(as_user, coordinator, project, other_project):
    early = ActivityFactory(project=project, date=dt.date(2025, 1, 10))
    middle = ActivityFactory(project=project, date=dt.date(2025, 3, 10))
    late = ActivityFactory(project=project, date=dt.date(2025, 6, 10))
    ActivityFactory(project=other_project, date=dt.date(2025, 3, 10))
    response = as_user(coordinator).get(
        f"{LIST}?project={project.pk}&date_after=2025-02-01&date_before=2025-06-10"
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [late.pk, middle.pk]
    response = as_user(coordinator).get(f"{LIST}?project={project.pk}&ordering=date")
    assert [row["id"] for row in response.json()["results"]] == [early.pk, middle.pk, late.pk]


def test_activity_list_bad_date_names_the_field(as_user, coordinator):
    response = as_user(coordinator).get(f"{LIST}?date_after=yesterday")
    assert response.status_code == 400
    assert "date" in response.json()


def test_activity_list_search_and_kind(as_user, social_worker, project):
    ActivityFactory(project=project, title="Cooking together", kind="workshop")
    ActivityFactory(project=project, title="Market stall", kind="event")
    client = as_user(social_worker)
    assert [r["title"] for r in client.get(f"{LIST}?search=cooking").json()["results"]] == [
        "Cooking together"
    ]
    assert [r["title"] for r in client.get(f"{LIST}?kind=event").json()["results"]] == ["Market stall"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_activity_list_runs_a_fixed_number_of_queries(
    as_user, social_worker, organisation, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        ActivityFactory(project=MicroProjectFactory(organisation=organisation))
    client = as_user(social_worker)
    # user (session cached), memberships, count, page (projects and organisations joined)
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.json()["count"] == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_project_activities_list_runs_a_fixed_number_of_queries(
    as_user, social_worker, project, django_assert_num_queries, item_count
):
    ActivityFactory.create_batch(item_count, project=project)
    client = as_user(social_worker)
    # user (session cached), memberships, page with its count and the project's title
    with django_assert_num_queries(3):
        response = client.get(nested(project))
    assert response.json()["count"] == item_count


# Logging -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_activity_log_permission_matrix(client_for, request, project, snapshot, role):
    before = snapshot()
    response = client_for(role).post(nested(project), VALID, format="json")
    assert response.status_code == expect(
        role, social_worker=201, other_social_worker=404, org_admin=201, coordinator=403, reviewer=404
    ), response.content
    if response.status_code == 201:
        activity = Activity.objects.get(pk=response.json()["id"])
        assert activity.project == project
        assert activity.created_by == request.getfixturevalue(role)
        assert response.json()["women"] == 7
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"women": 5, "men": 4}, "women"),
        ({"age_under_18": 11, "age_18_29": None, "age_30_54": None}, "age_under_18"),
        ({"participants_new": 11}, "participants_new"),
        ({"participants_total": -1}, "participants_total"),
        ({"date": ""}, "date"),
        ({"kind": "party"}, "kind"),
        ({"title": ""}, "title"),
        ({"staff_hours": "-2"}, "staff_hours"),
    ],
)
def test_activity_log_invalid_input_names_the_field(as_user, social_worker, project, change, field):
    response = as_user(social_worker).post(nested(project), VALID | change, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Activity.objects.exists()


def test_activity_log_without_breakdowns(as_user, social_worker, project):
    payload = {"date": "2025-04-02", "title": "Open café", "participants_total": 25}
    response = as_user(social_worker).post(nested(project), payload, format="json")
    assert response.status_code == 201
    assert response.json()["women"] is None


# Changing and deleting ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_activity_update_permission_matrix(client_for, activity, snapshot, role):
    before = snapshot()
    response = client_for(role).patch(detail(activity), {"title": "Renamed"}, format="json")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=403, reviewer=404
    )
    activity.refresh_from_db()
    assert (activity.title == "Renamed") is (response.status_code == 200)
    if response.status_code != 200:
        assert snapshot() == before


def test_activity_update_breakdown_checked_against_stored_values(as_user, social_worker, activity):
    # the factory's activity has 10 participants, 6 women and 4 men
    response = as_user(social_worker).patch(detail(activity), {"participants_total": 12}, format="json")
    assert response.status_code == 400
    assert "women" in response.json()
    activity.refresh_from_db()
    assert activity.participants_total == 10


def test_activity_update_cannot_move_to_another_project(as_user, social_worker, activity, other_project):
    response = as_user(social_worker).patch(detail(activity), {"project": other_project.pk}, format="json")
    activity.refresh_from_db()
    assert response.status_code == 200
    assert activity.project_id != other_project.pk


@pytest.mark.parametrize("role", ROLES)
def test_activity_delete_permission_matrix(client_for, activity, snapshot, role):
    before = snapshot()
    response = client_for(role).delete(detail(activity))
    assert response.status_code == expect(
        role, social_worker=204, other_social_worker=404, org_admin=204, coordinator=403, reviewer=404
    )
    assert Activity.objects.filter(pk=activity.pk).exists() is (response.status_code != 204)
    if response.status_code != 204:
        assert snapshot() == before


def test_unusual_figures_need_confirm_in_the_api(as_user, social_worker, project):
    client = as_user(social_worker)
    payload = {**VALID, "participants_total": 2000, "participants_new": None}
    payload = {key: value for key, value in payload.items() if value is not None}
    for field in ("women", "men", "non_binary", "gender_not_stated", *Activity.AGE_FIELDS):
        payload.pop(field, None)
    refused = client.post(nested(project), payload, format="json")
    assert refused.status_code == 400
    assert "unusual" in refused.json()["participants_total"][0]
    confirmed = client.post(nested(project), {**payload, "confirm": True}, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    assert confirmed.json()["unusual_confirmed"] is True
    assert "confirm" not in confirmed.json()
