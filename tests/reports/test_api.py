"""/api/v1/reports/: request (202), follow, list, download; errors named by field."""

from unittest import mock

import kombu.exceptions
import pytest
from django.utils import timezone

from reports.models import ReportJob, params_digest
from reports.tasks import render_report

from ..factories import UserFactory

URL = "/api/v1/reports/"


def post(client, payload, capture):
    with capture(execute=True):
        return client.post(URL, payload, format="json")


def test_post_answers_202_with_the_job_and_it_runs(
    as_user, social_worker, project, django_capture_on_commit_callbacks
):
    client = as_user(social_worker)
    response = post(
        client, {"kind": "project", "params": {"project": project.pk}}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued"
    assert response["Location"] == f"{URL}{body['id']}/"

    detail = client.get(f"{URL}{body['id']}/").json()
    assert detail["status"] == "succeeded"
    assert detail["progress"]["percent"] == 100
    assert detail["error"] == ""
    assert detail["download_url"] == f"http://testserver{URL}{body['id']}/download/"

    download = client.get(detail["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["X-Checksum-SHA256"] == detail["checksum"]


def test_duplicate_post_returns_the_same_job(as_user, coordinator):
    client = as_user(coordinator)
    with mock.patch.object(render_report, "apply_async"):
        first = client.post(URL, {"kind": "programme_csv", "params": {"country": "SE"}}, format="json")
        second = client.post(URL, {"kind": "programme_csv", "params": {"country": "SE"}}, format="json")
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "horoscope"}, "kind"),
        ({"params": {}}, "kind"),
        ({"kind": "programme", "language": "xx"}, "language"),
        ({"kind": "programme", "params": {"date_from": "yesterday"}}, "params.date_from"),
        ({"kind": "programme", "params": {"country": "Atlantis"}}, "params.country"),
        ({"kind": "programme", "params": {"colour": "red"}}, "params.colour"),
        ({"kind": "project", "params": {}}, "params.project"),
        ({"kind": "programme", "params": ["not", "an", "object"]}, "params"),
    ],
)
def test_bad_request_answers_400_naming_the_field(as_user, coordinator, payload, field):
    response = as_user(coordinator).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ReportJob.objects.exists()


def test_another_organisations_project_is_refused(as_user, social_worker, other_project):
    response = as_user(social_worker).post(URL, {"kind": "project", "params": {"project": other_project.pk}})
    assert response.status_code == 400
    assert "params.project" in response.json()


def test_programme_report_is_forbidden_for_a_social_worker(as_user, social_worker):
    response = as_user(social_worker).post(URL, {"kind": "programme", "params": {}})
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_anonymous_is_refused(as_user):
    assert as_user(None).post(URL, {"kind": "programme"}).status_code in (401, 403)
    assert as_user(None).get(URL).status_code in (401, 403)


@pytest.mark.django_db(transaction=True)  # real commits: the task is sent inside the request
def test_redis_unreachable_answers_503_and_keeps_the_job(as_user, coordinator):
    down = kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(render_report, "apply_async", side_effect=down):
        response = as_user(coordinator).post(URL, {"kind": "programme_csv"}, format="json")
    assert response.status_code == 503
    body = response.json()
    assert "cannot be reached" in body["detail"]
    assert body["job"]["status"] == "queued"
    assert ReportJob.objects.filter(pk=body["job"]["id"], status="queued").exists()


def job_for(user, kind="programme_csv", **fields):
    params = fields.pop("params", {})
    return ReportJob.objects.create(
        requested_by=user, kind=kind, params=params, params_key=params_digest(params), **fields
    )


def test_list_shows_own_jobs_only(as_user, social_worker, other_social_worker):
    mine = job_for(social_worker, kind="project")
    job_for(other_social_worker, kind="project")
    body = as_user(social_worker).get(URL).json()
    assert [job["id"] for job in body["results"]] == [mine.pk]


def test_coordinators_list_every_job(as_user, coordinator, social_worker, other_social_worker):
    job_for(social_worker, kind="project")
    job_for(other_social_worker, kind="project")
    assert as_user(coordinator).get(URL).json()["count"] == 2


def test_someone_elses_job_answers_404(as_user, social_worker, other_social_worker):
    theirs = job_for(other_social_worker, kind="project")
    client = as_user(social_worker)
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.get(f"{URL}{theirs.pk}/download/").status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_list_runs_a_fixed_number_of_queries(db, as_user, django_assert_num_queries, item_count):
    users = [UserFactory(username=f"requester{n}") for n in range(item_count)]
    for user in users:
        job_for(user)
    coordinator = UserFactory(username="boss", is_coordinator=True)
    client = as_user(coordinator)
    # user (session cached), count, page of jobs with their requesters
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.json()["count"] == item_count


def test_download_of_an_unfinished_job_answers_409(as_user, coordinator):
    job = job_for(coordinator, status="running")
    response = as_user(coordinator).get(f"{URL}{job.pk}/download/")
    assert response.status_code == 409
    assert "not ready" in response.json()["detail"]


def test_download_of_an_expired_job_answers_410(as_user, coordinator):
    job = job_for(coordinator, status="expired", expires_at=timezone.now())
    response = as_user(coordinator).get(f"{URL}{job.pk}/download/")
    assert response.status_code == 410
    assert "expired" in response.json()["detail"]


def test_download_is_refused_after_leaving_the_organisation(
    as_user, social_worker, project, django_capture_on_commit_callbacks
):
    client = as_user(social_worker)
    job_id = post(
        client, {"kind": "project", "params": {"project": project.pk}}, django_capture_on_commit_callbacks
    ).json()["id"]
    social_worker.memberships.all().delete()
    assert client.get(f"{URL}{job_id}/download/").status_code == 404


def test_schema_lists_the_reports_endpoints(as_user, coordinator):
    schema = as_user(coordinator).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else None
    assert paths is None or "/api/v1/reports/{id}/download/" in paths
