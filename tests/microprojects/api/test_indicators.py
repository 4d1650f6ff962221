import datetime as dt
from decimal import Decimal

import pytest

from microprojects.models import Indicator, Measurement
from tests.factories import IndicatorFactory, MeasurementFactory, MicroProjectFactory

from .conftest import ROLES, expect

LIST = "/api/v1/indicators/"

VALID = {"name": "Plastic bags replaced", "code": "RCR 77", "unit": "bags", "baseline": "0", "target": "5000"}


def nested(project):
    return f"/api/v1/projects/{project.pk}/indicators/"


def detail(indicator):
    return f"/api/v1/indicators/{indicator.pk}/"


def measurements(indicator):
    return f"/api/v1/indicators/{indicator.pk}/measurements/"


def measurement_detail(measurement):
    return f"/api/v1/measurements/{measurement.pk}/"


READ = {
    "social_worker": 200,
    "other_social_worker": 404,
    "org_admin": 200,
    "coordinator": 200,
    "reviewer": 404,
}


# Indicators: reading -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_project_indicators_list_permission_matrix(client_for, indicator, role):
    response = client_for(role).get(nested(indicator.project))
    assert response.status_code == expect(role, **READ)
    if response.status_code == 200:
        assert [row["id"] for row in response.json()["results"]] == [indicator.pk]


@pytest.mark.parametrize("role", ROLES)
def test_indicator_detail_permission_matrix(client_for, indicator, role):
    assert client_for(role).get(detail(indicator)).status_code == expect(role, **READ)


def test_indicator_detail_reports_latest_value_and_progress(as_user, social_worker, indicator):
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 1, 1), value=10)
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 6, 1), value=25)
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 3, 1), value=90)
    data = as_user(social_worker).get(detail(indicator)).json()
    assert data["latest_value"] == "25.00"
    assert data["latest_date"] == "2025-06-01"
    assert data["measurement_count"] == 3
    assert Decimal(data["progress"]) == Decimal(25)
    assert isinstance(data["is_off_track"], bool)


def test_indicator_without_measurements_has_no_progress(as_user, social_worker, indicator):
    data = as_user(social_worker).get(detail(indicator)).json()
    assert data["latest_value"] is None
    assert data["progress"] is None
    assert data["is_off_track"] is False


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
def test_indicator_list_shows_only_visible_indicators(client_for, indicator, role, visible):
    response = client_for(role).get(LIST)
    assert response.status_code == 200
    assert (indicator.pk in {row["id"] for row in response.json()["results"]}) is visible


def test_indicator_list_filters_by_project_and_orders_by_progress(
    as_user, coordinator, project, other_project
):
    slow = IndicatorFactory(project=project, name="Slow", baseline=0, target=100)
    fast = IndicatorFactory(project=project, name="Fast", baseline=0, target=100)
    IndicatorFactory(project=other_project, name="Elsewhere")
    MeasurementFactory(indicator=slow, value=10)
    MeasurementFactory(indicator=fast, value=80)
    response = as_user(coordinator).get(f"{LIST}?project={project.pk}&ordering=-progress")
    assert [row["name"] for row in response.json()["results"]] == ["Fast", "Slow"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_indicator_list_runs_a_fixed_number_of_queries(
    as_user, social_worker, organisation, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        MeasurementFactory.create_batch(
            2, indicator=IndicatorFactory(project=MicroProjectFactory(organisation=organisation))
        )
    client = as_user(social_worker)
    # user (session cached), memberships, count, page (latest value and progress annotated)
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.json()["count"] == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_project_indicators_list_runs_a_fixed_number_of_queries(
    as_user, social_worker, project, django_assert_num_queries, item_count
):
    for indicator in IndicatorFactory.create_batch(item_count, project=project):
        MeasurementFactory(indicator=indicator)
    client = as_user(social_worker)
    # user (session cached), memberships, project, count, page
    with django_assert_num_queries(5):
        response = client.get(nested(project))
    assert response.json()["count"] == item_count


# Indicators: writing -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_indicator_create_permission_matrix(client_for, project, snapshot, role):
    before = snapshot()
    response = client_for(role).post(nested(project), VALID, format="json")
    assert response.status_code == expect(
        role, social_worker=201, other_social_worker=404, org_admin=201, coordinator=403, reviewer=404
    ), response.content
    if response.status_code == 201:
        data = response.json()
        assert data["project"] == project.pk
        assert data["direction"] == "increase"
        assert data["measurement_count"] == 0
    else:
        assert snapshot() == before


def test_indicator_create_infers_decrease(as_user, social_worker, project):
    payload = {"name": "Waiting days", "baseline": "30", "target": "10"}
    response = as_user(social_worker).post(nested(project), payload, format="json")
    assert response.status_code == 201
    assert response.json()["direction"] == "decrease"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": "0"}, "target"),
        ({"direction": "decrease"}, "direction"),
        ({"name": ""}, "name"),
        ({"baseline": "many"}, "baseline"),
        ({"target_date": "2025-13-01"}, "target_date"),
    ],
)
def test_indicator_create_invalid_input_names_the_field(as_user, social_worker, project, change, field):
    response = as_user(social_worker).post(nested(project), VALID | change, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_indicator_update_permission_matrix(client_for, indicator, snapshot, role):
    before = snapshot()
    response = client_for(role).patch(detail(indicator), {"target": "150"}, format="json")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=403, reviewer=404
    )
    indicator.refresh_from_db()
    assert (indicator.target == 150) is (response.status_code == 200)
    if response.status_code != 200:
        assert snapshot() == before


def test_indicator_update_returns_progress_against_the_new_target(
    as_user, social_worker, indicator, measurement
):
    response = as_user(social_worker).patch(detail(indicator), {"target": "80"}, format="json")
    assert response.status_code == 200
    assert Decimal(response.json()["progress"]) == Decimal(50)


def test_indicator_update_against_direction_names_direction(as_user, social_worker, indicator):
    response = as_user(social_worker).patch(detail(indicator), {"target": "-5"}, format="json")
    assert response.status_code == 400
    assert "direction" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_indicator_delete_permission_matrix(client_for, indicator, measurement, snapshot, role):
    before = snapshot()
    response = client_for(role).delete(detail(indicator))
    assert response.status_code == expect(
        role, social_worker=204, other_social_worker=404, org_admin=204, coordinator=403, reviewer=404
    )
    assert Indicator.objects.filter(pk=indicator.pk).exists() is (response.status_code != 204)
    if response.status_code != 204:
        assert snapshot() == before


# Measurements ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_measurement_list_permission_matrix(client_for, measurement, role):
    response = client_for(role).get(measurements(measurement.indicator))
    assert response.status_code == expect(role, **READ)
    if response.status_code == 200:
        assert [row["id"] for row in response.json()["results"]] == [measurement.pk]


@pytest.mark.parametrize("item_count", [1, 3])
def test_measurement_list_runs_a_fixed_number_of_queries(
    as_user, social_worker, indicator, django_assert_num_queries, item_count
):
    MeasurementFactory.create_batch(item_count, indicator=indicator)
    client = as_user(social_worker)
    # user (session cached), memberships, indicator, count, page
    with django_assert_num_queries(5):
        response = client.get(measurements(indicator))
    assert response.json()["count"] == item_count


def test_measurement_list_filters_by_date(as_user, social_worker, indicator):
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 1, 1))
    june = MeasurementFactory(indicator=indicator, date=dt.date(2025, 6, 1))
    response = as_user(social_worker).get(f"{measurements(indicator)}?date_after=2025-03-01")
    assert [row["id"] for row in response.json()["results"]] == [june.pk]


@pytest.mark.parametrize("role", ROLES)
def test_measurement_record_permission_matrix(client_for, request, indicator, snapshot, role):
    before = snapshot()
    response = client_for(role).post(
        measurements(indicator), {"date": "2025-09-01", "value": "60", "note": "Market season"}, format="json"
    )
    assert response.status_code == expect(
        role, social_worker=201, other_social_worker=404, org_admin=201, coordinator=403, reviewer=404
    ), response.content
    if response.status_code == 201:
        measurement = Measurement.objects.get(pk=response.json()["id"])
        assert measurement.indicator == indicator
        assert measurement.created_by == request.getfixturevalue(role)
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"value": "1"}, "date"),
        ({"date": "2025-01-01"}, "value"),
        ({"date": "2025-01-01", "value": "x"}, "value"),
    ],
)
def test_measurement_record_invalid_input_names_the_field(as_user, social_worker, indicator, payload, field):
    response = as_user(social_worker).post(measurements(indicator), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Measurement.objects.exists()


def test_measurement_record_moves_progress(as_user, social_worker, indicator):
    client = as_user(social_worker)
    client.post(measurements(indicator), {"date": "2025-09-01", "value": "75"}, format="json")
    assert Decimal(client.get(detail(indicator)).json()["progress"]) == Decimal(75)


@pytest.mark.parametrize("role", ROLES)
def test_measurement_detail_permission_matrix(client_for, measurement, role):
    assert client_for(role).get(measurement_detail(measurement)).status_code == expect(role, **READ)


@pytest.mark.parametrize("role", ROLES)
def test_measurement_delete_permission_matrix(client_for, measurement, snapshot, role):
    before = snapshot()
    response = client_for(role).delete(measurement_detail(measurement))
    assert response.status_code == expect(
        role, social_worker=204, other_social_worker=404, org_admin=204, coordinator=403, reviewer=404
    )
    assert Measurement.objects.filter(pk=measurement.pk).exists() is (response.status_code != 204)
    if response.status_code != 204:
        assert snapshot() == before


def test_indicator_list_anonymous_is_refused(client_for, indicator):
    assert client_for("anonymous").get(LIST).status_code == expect("anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_measurement_correct_permission_matrix(client_for, measurement, snapshot, role):
    before = snapshot()
    response = client_for(role).patch(measurement_detail(measurement), {"value": "12"}, format="json")
    assert response.status_code == expect(
        role, social_worker=200, other_social_worker=404, org_admin=200, coordinator=403, reviewer=404
    )
    if response.status_code == 200:
        measurement.refresh_from_db()
        assert measurement.value == 12
        assert response.json()["value"] == "12.00"
    else:
        assert snapshot() == before


def test_a_corrected_measurement_moves_progress_and_keeps_its_history(as_user, social_worker, indicator):
    client = as_user(social_worker)
    created = client.post(measurements(indicator), {"date": "2025-09-01", "value": "750"}, format="json")
    assert created.status_code == 201
    corrected = client.patch(f"/api/v1/measurements/{created.json()['id']}/", {"value": "75"}, format="json")
    assert corrected.status_code == 200
    assert Decimal(client.get(detail(indicator)).json()["progress"]) == Decimal(75)
    measurement = Measurement.objects.get()
    assert [h.value for h in measurement.history.order_by("history_id")] == [750, 75]


def test_an_impossible_measurement_is_refused_with_every_error(as_user, social_worker, indicator):
    indicator.project.start_date = dt.date(2025, 7, 1)
    indicator.project.save()
    client = as_user(social_worker)
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    refused = client.post(measurements(indicator), {"date": future, "value": "-50"}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"date", "value"}
    assert "future" in refused.json()["date"][0]
    early = client.post(measurements(indicator), {"date": "1850-01-01", "value": "5"}, format="json")
    assert early.status_code == 400
    assert "started on" in early.json()["date"][0]
    assert not Measurement.objects.exists()
    created = client.post(measurements(indicator), {"date": "2025-07-01", "value": "5"}, format="json")
    assert created.status_code == 201
    patched = client.patch(f"/api/v1/measurements/{created.json()['id']}/", {"value": "-1"}, format="json")
    assert patched.status_code == 400
    assert Measurement.objects.get().value == 5
