"""The progress report pages: the coordinator's table (fixed queries, lateness), the team's list,
a report's page for each side, the narrative form, evidence, the decision, and the PDF."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programme.models import EvidenceFile, ProgressReport
from programme.progress import services
from sempre.models import AuditEvent
from tests.factories import MicroProjectFactory

from .progress_world import FIRST, SECOND, pdf_upload, period, project_with_figures, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(organisation, social_worker, coordinator):
    project = project_with_figures(organisation)
    return period(coordinator).reports.get(project=project)


def page(report, name="programme:progress_report"):
    return reverse(name, args=[report.pk])


@pytest.mark.parametrize("item_count", [1, 5])
def test_the_coordinators_table_runs_a_fixed_number_of_queries(
    client, organisation, coordinator, django_assert_num_queries, item_count
):
    for index in range(item_count):
        MicroProjectFactory(organisation=organisation, title=f"Project {index}")
    period(coordinator, FIRST)
    period(coordinator, SECOND)
    client.force_login(coordinator)
    client.get("/")  # the session and the dashboard's first reads out of the way
    # session, user, periods (list and table), reports with projects, the period form's nothing
    with django_assert_num_queries(5):
        response = client.get(reverse("programme:progress_reports"))
    assert response.status_code == 200
    assert response.content.count(b'class="badge progress-draft"') == 2 * item_count


def test_the_table_says_how_late_a_report_is(client, report, coordinator):
    past = timezone.now().date() - dt.timedelta(days=4)
    report.period.__class__.objects.filter(pk=report.period_id).update(
        due=past, end=past - dt.timedelta(days=1)
    )
    client.force_login(coordinator)
    response = client.get(reverse("programme:progress_reports"))
    assert "late by 4 days" in response.content.decode()


def test_the_team_lists_its_reports_and_another_organisation_sees_none(
    client, report, social_worker, other_social_worker
):
    client.force_login(social_worker)
    assert report.project.title in client.get(reverse("programme:progress_reports")).content.decode()
    client.force_login(other_social_worker)
    assert report.project.title not in client.get(reverse("programme:progress_reports")).content.decode()
    assert client.get(page(report)).status_code == 404
    assert client.post(page(report, "programme:progress_report_edit"), {"highlights": "x"}).status_code == 404


def test_the_team_writes_and_submits_from_the_form(client, report, social_worker):
    client.force_login(social_worker)
    assert client.get(page(report, "programme:progress_report_edit")).status_code == 200
    response = client.post(
        page(report, "programme:progress_report_edit"),
        {"highlights": "A garden grew.", "problems": "", "next_steps": "Sell.", "then": "submit"},
        follow=True,
    )
    report.refresh_from_db()
    assert report.status == "draft"
    assert report.highlights == "A garden grew."
    assert "Problems and deviations: Please write this part before you submit." in response.content.decode()

    client.post(
        page(report, "programme:progress_report_edit"),
        {
            "highlights": "A garden grew.",
            "problems": "The bus stopped.",
            "next_steps": "Sell.",
            "then": "submit",
        },
    )
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_coordinator_returns_with_a_comment_and_approves(client, report, social_worker, coordinator):
    write(report, social_worker)
    services.report_submit(report=report, by=social_worker)
    client.force_login(coordinator)
    assert "Your decision" in client.get(page(report)).content.decode()

    refused = client.post(
        page(report, "programme:progress_report_decide"), {"decision": "return", "comment": ""}
    )
    assert refused.status_code == 400
    assert "Please say what the team should change." in refused.content.decode()
    client.post(
        page(report, "programme:progress_report_decide"), {"decision": "return", "comment": "More, please."}
    )
    assert ProgressReport.objects.get(pk=report.pk).status == "returned"


def test_the_team_may_not_decide_and_the_coordinator_may_not_edit(client, report, social_worker, coordinator):
    write(report, social_worker)
    services.report_submit(report=report, by=social_worker)
    client.force_login(social_worker)
    assert (
        client.post(page(report, "programme:progress_report_decide"), {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(coordinator)
    assert client.get(page(report, "programme:progress_report_edit")).status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


def test_evidence_is_uploaded_refused_with_its_reason_and_downloaded_with_an_audit_line(
    client, report, social_worker
):
    client.force_login(social_worker)
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = client.post(
        page(report, "programme:progress_evidence_upload"),
        {"file": SimpleUploadedFile("a.pdf", b"GIF89a not a pdf")},
    )
    assert refused.status_code == 400
    assert "not a PDF file" in refused.content.decode()
    client.post(
        page(report, "programme:progress_evidence_upload"), {"file": pdf_upload(), "description": "Minutes"}
    )
    evidence = EvidenceFile.objects.get()
    response = client.get(reverse("programme:progress_evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="report.evidence_download", actor=social_worker).count() == 1


def test_the_pdf_of_a_report_is_made_by_the_report_engine(make_report, report, social_worker):
    write(report, social_worker)
    job = make_report(social_worker, "progress_report", {"progress_report": report.pk})
    assert job.status == "succeeded", job.error
    with job.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_pdf_of_another_organisations_report_is_refused(make_report, report, other_social_worker):
    from django.core.exceptions import ValidationError

    from reports import services as report_services

    with pytest.raises(ValidationError):
        report_services.report_request(
            by=other_social_worker,
            kind="progress_report",
            params={"progress_report": report.pk},
            language="en",
        )


def test_the_dashboard_lists_the_reports_to_write(client, report, social_worker):
    client.force_login(social_worker)
    assert "Progress reports to write" in client.get("/").content.decode()
