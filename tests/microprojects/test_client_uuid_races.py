"""Two sends of one entry at the same moment (a replayed request and a double tap, issue #18) store
one row and answer it to both, on real PostgreSQL: each thread has its own connection, as two
web processes would, and the loser's INSERT fails on the unique constraint inside a savepoint."""

import uuid

import pytest
from rest_framework.test import APIClient

from microprojects.models import Activity, Measurement
from tests.factories import IndicatorFactory, MicroProjectFactory

from ..reliability.test_races import THREADS, _postgresql, race  # noqa: F401 (_postgresql: autouse fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def clients_of(user):
    clients = []
    for _ in range(THREADS):
        client = APIClient()
        client.force_login(user)
        client.raise_request_exception = False
        clients.append(client)
    return clients


def test_the_same_activity_sent_at_once_is_stored_once(social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation)
    clients = clients_of(social_worker)
    body = {
        "date": "2025-04-02",
        "title": "Sewing",
        "participants_total": 4,
        "client_uuid": str(uuid.uuid4()),
    }
    url = f"/api/v1/projects/{project.pk}/activities/"
    results = race(lambda i: clients[i].post(url, body, format="json"))
    assert sorted(getattr(r, "status_code", repr(r)) for r in results) == [200] * (THREADS - 1) + [201]
    (activity,) = Activity.objects.filter(project=project)
    assert {r.json()["id"] for r in results} == {activity.pk}


def test_the_same_batch_sent_at_once_stores_each_entry_once(social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation)
    indicator = IndicatorFactory(project=project)
    clients = clients_of(social_worker)
    entries = [
        {"type": "activity", "client_uuid": str(uuid.uuid4()), "project": project.pk, "date": "2025-04-02",
         "title": "Sewing", "participants_total": 4},
        {"type": "measurement", "client_uuid": str(uuid.uuid4()), "indicator": indicator.pk,
         "date": "2025-06-01", "value": "7"},
    ]  # fmt: skip
    results = race(lambda i: clients[i].post("/api/v1/sync/", {"entries": entries}, format="json"))
    assert [getattr(r, "status_code", repr(r)) for r in results] == [200] * THREADS
    statuses = sorted(e["status"] for r in results for e in r.json()["results"])
    assert statuses == ["already_stored"] * (2 * THREADS - 2) + ["stored"] * 2
    (activity,) = Activity.objects.filter(project=project)
    (measurement,) = Measurement.objects.filter(indicator=indicator)
    assert {tuple(e["id"] for e in r.json()["results"]) for r in results} == {(activity.pk, measurement.pk)}
