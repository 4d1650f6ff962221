"""Entries made on a device, sent once or many times (issue #18, docs/offline.md): `client_uuid` on
the single endpoints and the batch endpoint POST /api/v1/sync/. The race of two sends at once is
in tests/microprojects/test_client_uuid_races.py (PostgreSQL)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microprojects.api import SYNC_MAX_ENTRIES, SYNC_QUERIES_PER_ENTRY
from microprojects.models import Activity, Measurement
from tests.factories import ActivityFactory, IndicatorFactory, MeasurementFactory

SYNC = "/api/v1/sync/"

ACTIVITY = {
    "date": "2025-04-02",
    "kind": "workshop",
    "title": "Sewing fruit bags",
    "participants_total": 10,
    "women": 7,
    "men": 3,
}


def activities_of(project):
    return f"/api/v1/projects/{project.pk}/activities/"


def measurements_of(indicator):
    return f"/api/v1/indicators/{indicator.pk}/measurements/"


def an_activity(project, **fields):
    return {"type": "activity", "client_uuid": str(uuid.uuid4()), "project": project.pk, **ACTIVITY, **fields}


def a_measurement(indicator, **fields):
    return {
        "type": "measurement",
        "client_uuid": str(uuid.uuid4()),
        "indicator": indicator.pk,
        "date": "2025-06-01",
        "value": "12",
        **fields,
    }


# The single endpoints ----------------------------------------------------------------------------


def test_activity_sent_again_answers_the_stored_one(as_user, social_worker, project):
    client = as_user(social_worker)
    body = {**ACTIVITY, "client_uuid": str(uuid.uuid4())}
    first = client.post(activities_of(project), body, format="json")
    again = client.post(activities_of(project), {**body, "title": "Changed on the way"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["title"] == "Sewing fruit bags"  # the stored row, not the second send
    assert again.json()["client_uuid"] == body["client_uuid"]
    assert Activity.objects.filter(project=project).count() == 1


def test_activity_without_client_uuid_is_stored_each_time(as_user, social_worker, project):
    client = as_user(social_worker)
    codes = [client.post(activities_of(project), ACTIVITY, format="json").status_code for _ in range(2)]
    assert codes == [201, 201]
    assert list(Activity.objects.values_list("client_uuid", flat=True)) == [None, None]


def test_measurement_sent_again_answers_the_stored_one(as_user, social_worker, indicator):
    client = as_user(social_worker)
    body = {"date": "2025-06-01", "value": "12", "client_uuid": str(uuid.uuid4())}
    first = client.post(measurements_of(indicator), body, format="json")
    again = client.post(measurements_of(indicator), {**body, "value": "99"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["value"] == "12.00"
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_client_uuid_of_another_organisations_entry_tells_nothing_of_it(
    as_user, social_worker, other_social_worker, project, other_project
):
    theirs = ActivityFactory(project=other_project, created_by=other_social_worker, title="Their secret")
    theirs.client_uuid = uuid.uuid4()
    theirs.save()
    response = as_user(social_worker).post(
        activities_of(project), {**ACTIVITY, "client_uuid": str(theirs.client_uuid)}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["client_uuid"]
    assert "secret" not in response.content.decode()
    assert str(theirs.pk) not in response.json()["client_uuid"][0]
    assert Activity.objects.filter(project=project).count() == 0


def test_client_uuid_of_ones_own_entry_in_another_project_is_refused(
    as_user, social_worker, project, organisation
):
    from tests.factories import MicroProjectFactory

    second = MicroProjectFactory(organisation=organisation)
    client = as_user(social_worker)
    body = {**ACTIVITY, "client_uuid": str(uuid.uuid4())}
    assert client.post(activities_of(project), body, format="json").status_code == 201
    response = client.post(activities_of(second), body, format="json")
    assert response.status_code == 400
    assert "client_uuid" in response.json()
    assert Activity.objects.filter(project=second).count() == 0


def test_client_uuid_of_a_colleagues_entry_is_refused(as_user, social_worker, org_admin, indicator):
    mine = MeasurementFactory(indicator=indicator, created_by=org_admin, client_uuid=uuid.uuid4())
    response = as_user(social_worker).post(
        measurements_of(indicator),
        {"date": "2025-06-01", "value": "1", "client_uuid": str(mine.client_uuid)},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["client_uuid"]


def test_correcting_an_entry_keeps_its_client_uuid(as_user, social_worker, project):
    activity = ActivityFactory(project=project, created_by=social_worker, client_uuid=uuid.uuid4())
    response = as_user(social_worker).patch(
        f"/api/v1/activities/{activity.pk}/",
        {"title": "New", "client_uuid": str(uuid.uuid4())},
        format="json",
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.title, response.json()["client_uuid"]) == ("New", str(activity.client_uuid))


def test_a_malformed_client_uuid_is_named(as_user, social_worker, project):
    response = as_user(social_worker).post(
        activities_of(project), {**ACTIVITY, "client_uuid": "yesterday"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["client_uuid"]


# The batch ---------------------------------------------------------------------------------------


def test_sync_stores_each_entry_and_answers_each(as_user, social_worker, project, indicator):
    entries = [an_activity(project), a_measurement(indicator), an_activity(project, title="Second")]
    response = as_user(social_worker).post(SYNC, {"entries": entries}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["index"], r["type"], r["status"], r["errors"]) for r in results] == [
        (0, "activity", "stored", None),
        (1, "measurement", "stored", None),
        (2, "activity", "stored", None),
    ]
    assert [r["client_uuid"] for r in results] == [e["client_uuid"] for e in entries]
    stored = Activity.objects.get(client_uuid=entries[0]["client_uuid"])
    assert (results[0]["id"], stored.created_by, stored.project) == (stored.pk, social_worker, project)
    assert Measurement.objects.get(client_uuid=entries[1]["client_uuid"]).pk == results[1]["id"]


def test_sync_sent_again_stores_nothing_twice(as_user, social_worker, project, indicator):
    client = as_user(social_worker)
    entries = [an_activity(project), a_measurement(indicator)]
    first = client.post(SYNC, {"entries": entries}, format="json").json()["results"]
    again = client.post(SYNC, {"entries": entries + entries}, format="json").json()["results"]
    assert [r["status"] for r in again] == ["already_stored"] * 4
    assert [r["id"] for r in again] == [r["id"] for r in first] * 2
    assert (Activity.objects.count(), Measurement.objects.count()) == (1, 1)


def test_sync_refuses_an_entry_alone_naming_its_fields(as_user, social_worker, project, indicator):
    entries = [
        an_activity(project, women=9, date="2031-01-01"),  # 9 + 3 is not 10; in the future
        a_measurement(indicator),
        a_measurement(indicator, value="-3", client_uuid="not-a-uuid"),
        {"type": "photo", "client_uuid": str(uuid.uuid4())},
        "not an object",
        an_activity(project, title=""),
    ]
    response = as_user(social_worker).post(SYNC, {"entries": entries}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["refused", "stored", "refused", "refused", "refused", "refused"]
    assert {"women", "date"} <= set(results[0]["errors"])
    assert set(results[2]["errors"]) == {"client_uuid"}  # the shape first: the value's rule after
    assert results[2]["client_uuid"] is None
    assert list(results[3]["errors"]) == ["type"]
    assert results[3]["type"] is None
    assert list(results[4]["errors"]) == ["type"]
    assert list(results[5]["errors"]) == ["title"]
    assert (Activity.objects.count(), Measurement.objects.count()) == (0, 1)


def test_sync_refuses_a_negative_measurement_by_the_services_rule(as_user, social_worker, indicator):
    entry = a_measurement(indicator, value="-3")
    (result,) = as_user(social_worker).post(SYNC, {"entries": [entry]}, format="json").json()["results"]
    assert (result["status"], list(result["errors"])) == ("refused", ["value"])


def test_sync_refuses_entries_dated_after_their_project_was_closed(
    as_user, social_worker, project, indicator
):
    # The example of issue #18: the project was completed at the office while the phone was offline.
    project.status, project.closed_on = project.Status.COMPLETED, dt.date(2025, 3, 1)
    project.save()
    entries = [an_activity(project), a_measurement(indicator), an_activity(project, date="2025-03-01")]
    results = as_user(social_worker).post(SYNC, {"entries": entries}, format="json").json()["results"]
    assert [(r["status"], list(r.get("errors") or [])) for r in results] == [
        ("refused", ["date"]),
        ("refused", ["date"]),
        ("stored", []),
    ]
    assert "was completed on" in results[0]["errors"]["date"][0]
    assert Activity.objects.get().date == dt.date(2025, 3, 1)
    assert not Measurement.objects.exists()


def test_sync_asks_to_confirm_unusual_figures_then_stores_them(as_user, social_worker, project):
    client = as_user(social_worker)
    entry = an_activity(project, participants_total=600, women=None, men=None)
    (refused,) = client.post(SYNC, {"entries": [entry]}, format="json").json()["results"]
    assert refused["status"] == "refused"
    assert list(refused["errors"]) == ["participants_total"]
    assert refused["needs_confirmation"] is True
    (stored,) = client.post(SYNC, {"entries": [{**entry, "confirm": True}]}, format="json").json()["results"]
    assert stored["status"] == "stored"
    assert Activity.objects.get(pk=stored["id"]).unusual_confirmed


def test_sync_does_not_offer_confirmation_for_an_error_that_is_not_unusual(as_user, social_worker, project):
    entry = an_activity(project, participants_total=600, women=1, men=None)
    (result,) = as_user(social_worker).post(SYNC, {"entries": [entry]}, format="json").json()["results"]
    assert result["needs_confirmation"] is False


def test_sync_does_not_reach_another_organisations_project(
    as_user, social_worker, other_project, other_social_worker
):
    indicator = IndicatorFactory(project=other_project)
    entries = [an_activity(other_project), a_measurement(indicator)]
    results = as_user(social_worker).post(SYNC, {"entries": entries}, format="json").json()["results"]
    assert [list(r["errors"]) for r in results] == [["project"], ["indicator"]]
    assert "Recipe book" not in str(results)
    assert (Activity.objects.count(), Measurement.objects.count()) == (0, 0)


def test_sync_refused_to_a_coordinator_of_no_organisation(as_user, coordinator, project):
    response = as_user(coordinator).post(SYNC, {"entries": [an_activity(project)]}, format="json")
    assert response.status_code == 403  # sees every project, logs in none
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(("role", "status"), [("reviewer", 403), ("anonymous", None)])
def test_sync_refused_to_people_who_log_nothing(as_user, request, project, role, status):
    from .conftest import anonymous_status

    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = as_user(user).post(SYNC, {"entries": [an_activity(project)]}, format="json")
    assert response.status_code == (status or anonymous_status())
    assert Activity.objects.count() == 0


def test_sync_batch_is_bounded(as_user, social_worker, project):
    entries = [an_activity(project) for _ in range(SYNC_MAX_ENTRIES + 1)]
    response = as_user(social_worker).post(SYNC, {"entries": entries}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["entries"]
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("body", [{}, {"entries": "all of them"}, [1, 2]])
def test_sync_batch_of_the_wrong_shape_is_named(as_user, social_worker, body):
    response = as_user(social_worker).post(SYNC, body, format="json")
    assert response.status_code == 400
    assert "entries" in response.json() or "non_field_errors" in response.json()


def _sync_queries(client, entries) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(SYNC, {"entries": entries}, format="json")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", ["activity", "measurement"])
def test_sync_queries_per_entry_are_fixed(as_user, social_worker, project, indicator, kind):
    client = as_user(social_worker)
    make = (lambda: an_activity(project)) if kind == "activity" else (lambda: a_measurement(indicator))
    client.post(SYNC, {"entries": [make()]}, format="json")  # the session and the user read once
    one, three = (_sync_queries(client, [make() for _ in range(n)]) for n in (1, 3))
    per_entry = (three - one) // 2
    assert three - one == 2 * per_entry
    assert per_entry <= SYNC_QUERIES_PER_ENTRY
    entries = [make() for _ in range(3)]
    _sync_queries(client, entries)
    assert _sync_queries(client, entries) <= three  # already stored: no more than storing
