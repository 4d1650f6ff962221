"""The field app's server side (issue #18, docs/offline.md): the service worker and manifest at the
root, the data a device keeps, the queue and measurement pages, a double tap that logs once
without JavaScript, and logout deleting what the site keeps on the device. The offline
behaviour itself is in tests/browser/test_offline.py."""

import json
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from microprojects.models import Activity, Measurement, MicroProject
from tests.factories import IndicatorFactory, MicroProjectFactory

QUICK_LOG = reverse("microprojects:activity_quick_log")
FIELD_MEASUREMENT = reverse("microprojects:field_measurement")
FIELD_DATA = reverse("microprojects:field_data")


@pytest.fixture
def project(organisation):
    return MicroProjectFactory(organisation=organisation, title="Fruit bags in Luleå")


def test_service_worker_is_served_from_the_root_and_never_cached(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["pages"] == [
        QUICK_LOG,
        FIELD_MEASUREMENT,
        reverse("microprojects:queue"),
        reverse("microprojects:offline"),
        FIELD_DATA,
    ]
    assert finders.find(config["workbox"].removeprefix("/static/"))
    # kept by name: what the quick log fetches after its load (its queue's scripts, its stylesheet)
    for path in ("js/offline-queue.js", "js/offline.js", "css/quick-log.min.css"):
        assert static(path) in config["static"]
    assert "&quot;" not in body
    assert "&#x27;" not in body


def test_manifest_starts_at_the_quick_log_with_icons_that_exist(client, db):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["display"], manifest["scope"]) == (QUICK_LOG, "standalone", "/")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_pages_link_the_manifest_and_register_the_worker_for_staff_only(client_for, social_worker, reviewer):
    html = client_for(social_worker).get("/").content.decode()
    assert 'rel="manifest"' in html
    assert 'data-service-worker="/sw.js"' in html
    assert "data-service-worker" not in client_for(reviewer).get("/").content.decode()


def test_field_data_is_ones_own_open_projects_with_their_indicators(
    client_for, social_worker, project, other_organisation
):
    IndicatorFactory(project=project, name="Bags sold", unit="bags")
    MicroProjectFactory(organisation=project.organisation, status=MicroProject.Status.COMPLETED, title="Done")
    MicroProjectFactory(organisation=other_organisation, title="Theirs")
    response = client_for(social_worker).get(FIELD_DATA)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    data = response.json()
    assert data["user"] == social_worker.pk
    (only,) = data["projects"]
    assert (only["title"], only["start_date"], only["end_date"]) == (
        "Fruit bags in Luleå",
        "2025-01-01",
        "2026-12-31",
    )
    assert [(i["name"], i["unit"]) for i in only["indicators"]] == [("Bags sold", "bags")]


def test_field_data_keeps_no_other_organisations_project_for_a_coordinator(client_for, coordinator, project):
    assert client_for(coordinator).get(FIELD_DATA).status_code == 403


@pytest.mark.parametrize("count", [1, 4])
def test_field_data_queries_are_fixed(
    client_for, social_worker, organisation, django_assert_max_num_queries, count
):
    for _ in range(count):
        IndicatorFactory.create_batch(2, project=MicroProjectFactory(organisation=organisation))
    client = client_for(social_worker)
    client.get(FIELD_DATA)
    with django_assert_max_num_queries(4):  # session, user, projects, their indicators
        response = client.get(FIELD_DATA)
    assert len(response.json()["projects"]) == count


def _quick_log(client, project, client_uuid):
    return client.post(
        QUICK_LOG,
        {
            "project": project.pk,
            "date": "2025-06-02",
            "kind": "workshop",
            "title": "Sewing",
            "participants_total": "5",
            "staff_hours": "0",
            "volunteer_hours": "0",
            "client_uuid": client_uuid,
        },
    )


def test_quick_log_sent_twice_logs_once(client_for, social_worker, project):
    client = client_for(social_worker)
    page = client.get(QUICK_LOG).content.decode()
    assert 'name="client_uuid"' in page
    client_uuid = str(uuid.uuid4())
    first, second = (_quick_log(client, project, client_uuid) for _ in range(2))
    assert (first.status_code, second.status_code) == (302, 302)
    (activity,) = Activity.objects.filter(project=project)
    assert str(activity.client_uuid) == client_uuid


def test_quick_log_without_a_client_uuid_still_logs(client_for, social_worker, project):
    assert _quick_log(client_for(social_worker), project, "").status_code == 302
    assert Activity.objects.get(project=project).client_uuid is None


def test_editing_an_activity_shows_no_client_uuid(client_for, social_worker, project):
    from tests.factories import ActivityFactory

    activity = ActivityFactory(project=project)
    page = client_for(social_worker).get(reverse("microprojects:activity_edit", args=[activity.pk]))
    assert 'name="client_uuid"' not in page.content.decode()


def test_field_measurement_records_once_and_names_errors(client_for, social_worker, project):
    indicator = IndicatorFactory(project=project, name="Bags sold")
    client = client_for(social_worker)
    assert "Fruit bags in Luleå: Bags sold" in client.get(FIELD_MEASUREMENT).content.decode()
    body = {"indicator": indicator.pk, "date": "2025-06-02", "value": "4", "client_uuid": str(uuid.uuid4())}
    assert [client.post(FIELD_MEASUREMENT, body).status_code for _ in range(2)] == [302, 302]
    assert Measurement.objects.filter(indicator=indicator).count() == 1
    refused = client.post(FIELD_MEASUREMENT, {**body, "value": "-1", "date": "2031-01-01", "client_uuid": ""})
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"value", "date"}


def test_field_measurement_offers_no_other_organisations_indicator(
    client_for, social_worker, other_organisation
):
    theirs = IndicatorFactory(project=MicroProjectFactory(organisation=other_organisation))
    client = client_for(social_worker)
    response = client.post(FIELD_MEASUREMENT, {"indicator": theirs.pk, "date": "2025-06-02", "value": "1"})
    assert "indicator" in response.context["form"].errors
    assert Measurement.objects.count() == 0


def test_queue_page_carries_its_words_for_the_script(client_for, social_worker):
    page = client_for(social_worker).get(reverse("microprojects:queue")).content.decode()
    assert 'id="offline-strings"' in page
    assert "Needs your attention" in page
    assert "Do not clear this browser" in page


def test_logout_deletes_what_the_site_keeps_on_the_device(client_for, social_worker):
    response = client_for(social_worker).post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
