"""The Reports page: the form, the jobs with htmx polling while they run, downloads."""

from unittest import mock

import pytest
from django.test import Client

from reports.models import ReportJob, params_digest
from reports.tasks import render_report

URL = "/reports/"


@pytest.fixture
def web(db):
    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login


def job_for(user, kind="programme_csv", **fields):
    params = fields.pop("params", {})
    return ReportJob.objects.create(
        requested_by=user, kind=kind, params=params, params_key=params_digest(params), **fields
    )


def test_page_offers_only_the_kinds_one_may_ask_for(web, social_worker, project):
    page = web(social_worker).get(URL)
    assert page.status_code == 200
    kinds = [value for value, _label in page.context["form"].fields["kind"].choices]
    assert kinds == ["project", "progress_report", "handbook"]
    assert b"<h1>Reports</h1>" in page.content
    assert b'<label for="id_project">' in page.content


def test_coordinator_is_offered_programme_reports_with_filters(web, coordinator):
    page = web(coordinator).get(URL)
    kinds = [value for value, _label in page.context["form"].fields["kind"].choices]
    assert set(kinds) == {
        "project", "programme", "programme_xlsx", "programme_csv", "progress_report", "selection",
        "selection_xlsx", "startups", "handbook",
    }  # fmt: skip
    assert b'<label for="id_country">' in page.content
    assert b'<label for="id_round">' in page.content


def test_post_queues_the_report_and_shows_its_progress(
    web, social_worker, project, django_capture_on_commit_callbacks
):
    client = web(social_worker)
    with (
        mock.patch.object(render_report, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(URL, {"kind": "project", "language": "en", "project": project.pk})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    send.assert_called_once_with(args=[job.pk])
    page = client.get(URL)
    assert f'hx-get="/reports/{job.pk}/"'.encode() in page.content
    assert b'hx-trigger="every 2s"' in page.content
    assert b"<progress" in page.content


def test_post_with_a_missing_project_names_the_field(web, social_worker):
    response = web(social_worker).post(URL, {"kind": "project", "language": "en"})
    assert response.status_code == 400
    assert response.context["form"].errors["project"]
    assert not ReportJob.objects.exists()


def test_polling_stops_when_the_job_is_done(web, coordinator, make_report, project):
    job = make_report(coordinator, "programme_csv")
    row = web(coordinator).get(f"{URL}{job.pk}/")
    assert row.status_code == 200
    assert b"hx-trigger" not in row.content
    assert f'href="/reports/{job.pk}/download/"'.encode() in row.content


def test_failed_job_shows_its_error_in_plain_words(web, coordinator):
    job = job_for(coordinator, status="failed", error="The report took too long and was stopped.")
    row = web(coordinator).get(f"{URL}{job.pk}/")
    assert b"The report took too long and was stopped." in row.content


def test_download_from_the_page(web, coordinator, make_report, project):
    job = make_report(coordinator, "programme_csv")
    response = web(coordinator).get(f"{URL}{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).decode("utf-8-sig").startswith("Date,")


def test_someone_elses_job_is_not_found(web, social_worker, other_social_worker):
    theirs = job_for(other_social_worker, kind="project")
    client = web(social_worker)
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.get(f"{URL}{theirs.pk}/download/").status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("item_count", [1, 3])
def test_page_runs_a_fixed_number_of_queries(
    web, social_worker, project, django_assert_num_queries, item_count
):
    for n in range(item_count):
        job_for(social_worker, kind="project", params={"project": project.pk, "n": n})
    client = web(social_worker)
    # user (session cached), memberships, jobs, the projects the jobs name (one query for all),
    # the project choices, the progress report choices
    with django_assert_num_queries(6):
        page = client.get(URL)
    assert len(page.context["jobs"]) == item_count


def test_the_page_names_a_jobs_parameters_as_a_person_reads_them(web, social_worker, project):
    job_for(social_worker, kind="project", params={"project": project.pk})
    job_for(social_worker, kind="programme_csv", params={"date_from": "2026-03-01"}, language="de")
    page = web(social_worker).get(URL).content.decode()
    assert f"Project: {project.title}" in page
    assert "From: 1 Mar 2026" in page
    assert "project: " not in page
    assert "German" in page


@pytest.mark.django_db(transaction=True)  # real commits: the task is sent inside the request
def test_post_while_redis_is_unreachable_keeps_the_job_and_says_so(coordinator):
    import kombu.exceptions

    client = Client()
    client.force_login(coordinator)
    down = kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(render_report, "apply_async", side_effect=down):
        response = client.post(URL, {"kind": "programme_csv", "language": "en"}, follow=True)
    assert response.status_code == 200
    assert "cannot be reached just now" in response.content.decode()
    assert ReportJob.objects.get().status == "queued"
