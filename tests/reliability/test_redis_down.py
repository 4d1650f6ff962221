"""Redis down: the broker and the cache point at a port where nothing listens. Everything that
needs no worker keeps working (pages, API reads and writes, logging an activity, logging in);
a report request answers 503 in plain words and its job is kept, queued for when Redis is back.

Nothing outside the test is needed (the dead address is the fault), so this runs everywhere.
"""

import datetime as dt

import pytest

from config.celery import app as celery_app
from microprojects.models import Activity
from reports.models import ReportJob
from tests.factories import MicroProjectFactory

DEAD_REDIS = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db(transaction=True)


def use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings):
    """Celery reads CELERY_* through Django's settings, so the settings fixture switches eager mode
    off and back (never `celery_app.conf.task_always_eager = ...`: that override would outlive the
    test). Changing CACHES makes Django drop its cache connections (setting_changed)."""
    previous = celery_app.conf.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}
    }
    use_broker(DEAD_REDIS)
    yield
    use_broker(previous)


def test_pages_and_api_work_without_redis(redis_down, client, as_user, social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation)
    client.post("/accounts/login/", {"username": social_worker.username, "password": "secret-pass-123"})
    for url in (
        "/",
        "/projects/",
        f"/projects/{project.pk}/",
        "/accelerator/",
        "/reports/",
        f"/projects/{project.pk}/tools/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        f"/projects/{project.pk}/activities/new/",
        {
            "date": "2025-06-02",
            "kind": "workshop",
            "title": "Offline-proof",
            "participants_total": "3",
            "participants_new": "1",
            "staff_hours": "1",
            "volunteer_hours": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Activity.objects.filter(title="Offline-proof").exists()

    api = as_user(social_worker)
    assert api.get("/api/v1/projects/").status_code == 200
    created = api.post(
        f"/api/v1/projects/{project.pk}/activities/",
        {
            "date": str(dt.date(2026, 1, 16)),
            "kind": "workshop",
            "title": "Through the API",
            "participants_total": 2,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()


def test_a_report_request_answers_503_and_is_kept(redis_down, as_user, social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation)
    response = as_user(social_worker).post(
        "/api/v1/reports/", {"kind": "project", "params": {"project": project.pk}}, format="json"
    )
    assert response.status_code == 503
    assert "cannot be reached" in response.json()["detail"]
    assert response["Retry-After"]
    job = ReportJob.objects.get(pk=response.json()["job"]["id"])
    assert job.status == ReportJob.Status.QUEUED


def test_the_report_page_says_so_in_plain_words(redis_down, client, social_worker, organisation):
    project = MicroProjectFactory(organisation=organisation)
    client.force_login(social_worker)
    response = client.post(
        "/reports/", {"kind": "project", "language": "en", "project": project.pk}, follow=True
    )
    assert response.redirect_chain == [("/reports/", 302)]
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your report has been saved, but the report service cannot be reached just now." in page
    assert "It will start by itself when the service is back." in page
    job = ReportJob.objects.get(requested_by=social_worker)
    assert job.status == ReportJob.Status.QUEUED  # kept, for the sweep to send when Redis is back
