"""The progress report API: /api/v1/reporting-periods/, /api/v1/progress-reports/ and
/api/v1/progress-evidence/: the workflow through the API, who may take each step, evidence
upload and download, and a fixed number of queries for the list."""

import datetime as dt

import pytest

from programme.models import EvidenceFile, ProgressReport
from sempre.models import AuditEvent
from tests.factories import MicroProjectFactory

from .progress_world import FIRST, docx_upload, pdf_upload, period, project_with_figures

pytestmark = pytest.mark.django_db

LIST = "/api/v1/progress-reports/"


def detail(report):
    return f"{LIST}{report.pk}/"


@pytest.fixture
def report(organisation, social_worker, coordinator):
    project = project_with_figures(organisation)
    return period(coordinator).reports.get(project=project)


NARRATIVE = {"highlights": "A garden grew.", "problems": "The bus stopped.", "next_steps": "Sell vegetables."}


def test_the_team_writes_submits_and_the_coordinator_returns_then_approves(
    as_user, report, social_worker, coordinator
):
    team, coord = as_user(social_worker), as_user(coordinator)
    assert team.patch(detail(report), NARRATIVE, format="json").status_code == 200
    submitted = team.post(f"{detail(report)}submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["figures"]["attendances"] == 10

    refused = coord.post(f"{detail(report)}return/", {}, format="json")
    assert refused.status_code == 400
    assert "comment" in refused.json()
    returned = coord.post(f"{detail(report)}return/", {"comment": "More on the bus, please."}, format="json")
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_comment"] == "More on the bus, please."

    team.patch(detail(report), {"problems": "The bus stopped in May; we drove people."}, format="json")
    team.post(f"{detail(report)}submit/")
    approved = coord.post(f"{detail(report)}approve/", {}, format="json")
    assert approved.status_code == 200
    body = approved.json()
    assert body["status"] == "approved"
    assert body["is_frozen"]
    assert [event["action"] for event in body["events"]] == ["submitted", "returned", "submitted", "approved"]


def test_submitting_an_unwritten_report_names_every_missing_part(as_user, report, social_worker):
    response = as_user(social_worker).post(f"{detail(report)}submit/")
    assert response.status_code == 400
    assert set(response.json()) == {"highlights", "problems", "next_steps"}


def test_the_team_cannot_approve_and_the_coordinator_cannot_write(
    as_user, report, social_worker, coordinator
):
    team = as_user(social_worker)
    team.patch(detail(report), NARRATIVE, format="json")
    team.post(f"{detail(report)}submit/")
    assert team.post(f"{detail(report)}approve/", {}, format="json").status_code == 403
    assert (
        as_user(coordinator).patch(detail(report), {"highlights": "Mine"}, format="json").status_code == 403
    )
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.highlights == "A garden grew."


def test_another_organisation_sees_no_report(as_user, report, other_social_worker, reviewer):
    other = as_user(other_social_worker)
    assert other.get(LIST).json()["count"] == 0
    assert other.get(detail(report)).status_code == 404
    assert other.patch(detail(report), NARRATIVE, format="json").status_code == 404
    assert (
        other.post(f"{detail(report)}evidence/", {"file": pdf_upload()}, format="multipart").status_code
        == 404
    )
    assert as_user(reviewer).get(LIST).status_code == 403
    assert not EvidenceFile.objects.exists()


def test_evidence_upload_list_and_download_with_an_audit_line(as_user, report, social_worker, coordinator):
    team = as_user(social_worker)
    created = team.post(
        f"{detail(report)}evidence/", {"file": docx_upload(), "description": "The plan"}, format="multipart"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["content_type"].endswith("wordprocessingml.document")
    assert [f["filename"] for f in team.get(f"{detail(report)}evidence/").json()["results"]] == ["plan.docx"]

    response = as_user(coordinator).get(created.json()["download_url"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"PK")
    event = AuditEvent.objects.get(action="report.evidence_download")
    assert event.actor == coordinator
    assert event.target_id == str(created.json()["id"])


def test_evidence_with_a_false_name_is_refused_naming_the_file(as_user, report, social_worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 a program")
    response = as_user(social_worker).post(f"{detail(report)}evidence/", {"file": fake}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()) == {"file"}
    assert not EvidenceFile.objects.exists()


def test_evidence_of_another_organisation_answers_404_and_writes_no_audit_line(
    as_user, report, social_worker, other_social_worker
):
    created = as_user(social_worker).post(
        f"{detail(report)}evidence/", {"file": pdf_upload()}, format="multipart"
    )
    evidence_id = created.json()["id"]
    other = as_user(other_social_worker)
    assert other.get(f"/api/v1/progress-evidence/{evidence_id}/download/").status_code == 404
    assert other.delete(f"/api/v1/progress-evidence/{evidence_id}/").status_code == 404
    assert not AuditEvent.objects.filter(action="report.evidence_download").exists()
    assert EvidenceFile.objects.count() == 1


def test_a_period_is_set_through_the_api_by_a_coordinator_only(
    as_user, organisation, social_worker, coordinator
):
    MicroProjectFactory(organisation=organisation)
    body = {"start": "2025-01-01", "end": "2025-06-30", "due": "2025-07-31"}
    assert as_user(social_worker).post("/api/v1/reporting-periods/", body, format="json").status_code == 403
    response = as_user(coordinator).post("/api/v1/reporting-periods/", body, format="json")
    assert response.status_code == 201
    assert ProgressReport.objects.filter(period_id=response.json()["id"]).count() == 1
    wrong = as_user(coordinator).post(
        "/api/v1/reporting-periods/",
        {"start": "2026-06-30", "end": "2026-01-01", "due": "2025-01-01"},
        format="json",
    )
    assert wrong.status_code == 400
    assert set(wrong.json()) == {"end", "due"}


@pytest.mark.parametrize("item_count", [1, 4])
def test_the_list_runs_a_fixed_number_of_queries(
    as_user, organisation, social_worker, coordinator, django_assert_num_queries, item_count
):
    for index in range(item_count):
        MicroProjectFactory(organisation=organisation, title=f"Project {index}")
    period(coordinator, FIRST)
    period(coordinator, (dt.date(2025, 7, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 31)))
    client = as_user(social_worker)
    # user (session cached), memberships, count, page (periods, projects, organisations joined)
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.json()["count"] == 2 * item_count
