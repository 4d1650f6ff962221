"""Reporting periods and progress reports: creation, the workflow and who may take each step,
freezing on approval, corrections to earlier periods, and evidence files."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from microprojects import services as project_services
from microprojects.models import MicroProject
from programme.models import EvidenceFile, ProgressReport, ReportingPeriod
from programme.progress import selectors, services
from programme.progress.tasks import progress_reports_create
from tests.factories import ActivityFactory, MicroProjectFactory

from .progress_world import (
    FIRST,
    SECOND,
    docx_upload,
    odt_upload,
    pdf_upload,
    period,
    project_with_figures,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organisation, social_worker):
    return project_with_figures(organisation)


@pytest.fixture
def report(project, coordinator):
    return period(coordinator).reports.get(project=project)


def _error_fields(raised) -> set:
    return set(raised.value.message_dict)


# Periods and the reports they make ---------------------------------------------------------------


def test_a_period_makes_a_draft_report_for_each_active_project_running_in_it(organisation, coordinator):
    running = MicroProjectFactory(organisation=organisation)
    MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)
    MicroProjectFactory(organisation=organisation, start_date=dt.date(2026, 1, 1))  # starts later
    MicroProjectFactory(
        organisation=organisation, start_date=dt.date(2020, 1, 1), end_date=dt.date(2024, 12, 31)
    )

    made = period(coordinator)

    assert list(made.reports.values_list("project", "status")) == [(running.pk, "draft")]


def test_only_coordinators_set_periods(social_worker):
    with pytest.raises(PermissionDenied):
        period(social_worker)
    assert not ReportingPeriod.objects.exists()


def test_wrong_period_dates_are_all_named_at_once(coordinator):
    with pytest.raises(ValidationError) as raised:
        services.period_create(
            by=coordinator, start=dt.date(2025, 6, 30), end=dt.date(2025, 1, 1), due=dt.date(2024, 12, 1)
        )
    assert _error_fields(raised) == {"end", "due"}
    assert not ReportingPeriod.objects.exists()


def test_the_beat_task_adds_reports_for_projects_activated_later_and_only_once(
    organisation, coordinator, settings
):
    made = period(coordinator, (dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2099, 1, 1)))
    later = MicroProjectFactory(organisation=organisation, status=MicroProject.Status.DRAFT)
    assert not made.reports.filter(project=later).exists()
    MicroProject.objects.filter(pk=later.pk).update(status=MicroProject.Status.ACTIVE)

    assert progress_reports_create.delay().result == 1
    assert progress_reports_create.delay().result == 0
    assert made.reports.filter(project=later).count() == 1


# The workflow ------------------------------------------------------------------------------------


def test_submitting_needs_every_part_of_the_narrative_and_names_each_missing_one(report, social_worker):
    services.report_update(report=report, by=social_worker, highlights="A garden grew.")
    with pytest.raises(ValidationError) as raised:
        services.report_submit(report=report, by=social_worker)
    assert _error_fields(raised) == {"problems", "next_steps"}
    report.refresh_from_db()
    assert report.status == "draft"
    assert report.submitted_figures is None


def test_submitting_fills_in_the_figures_of_the_period(report, social_worker):
    write(report, social_worker)
    report = services.report_submit(report=report, by=social_worker)

    figures = report.submitted_figures
    assert figures["activities"] == 1
    assert figures["attendances"] == 10
    assert figures["new_participants"] == 4
    assert figures["gender"] == {
        "women": 6,
        "men": 4,
        "non_binary": 0,
        "gender_not_stated": 0,
        "not_collected": 0,
    }
    assert figures["age"] is None  # no activity of the period collected ages: not collected, never 0
    [indicator] = figures["indicators"]
    assert (indicator["period_value"], indicator["cumulative_value"], indicator["progress"]) == (
        "5",
        "5",
        "25",
    )
    assert report.events.get().action == "submitted"


def test_the_team_cannot_approve_and_the_coordinator_cannot_write_the_narrative(
    report, social_worker, coordinator
):
    write(report, social_worker)
    services.report_submit(report=report, by=social_worker)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=social_worker)
    with pytest.raises(PermissionDenied):
        services.report_return(report=report, by=social_worker, comment="Mine")
    with pytest.raises(PermissionDenied):
        services.report_update(report=report, by=coordinator, highlights="The coordinator's words")
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.highlights == "Written."


def test_another_organisation_may_not_write_the_report(report, other_social_worker):
    with pytest.raises(PermissionDenied):
        services.report_update(report=report, by=other_social_worker, highlights="Not ours")
    assert not selectors.reports_visible_to(other_social_worker).exists()


def test_a_submitted_report_cannot_be_changed_and_only_a_submitted_one_decided(
    report, social_worker, coordinator
):
    with pytest.raises(ValidationError) as raised:
        services.report_approve(report=report, by=coordinator)
    assert _error_fields(raised) == {"status"}
    write(report, social_worker)
    services.report_submit(report=report, by=social_worker)
    with pytest.raises(ValidationError) as raised:
        write(report, social_worker, "Changed after submitting")
    assert _error_fields(raised) == {"status"}


def test_returned_with_comments_then_submitted_again_then_approved(report, social_worker, coordinator):
    write(report, social_worker)
    services.report_submit(report=report, by=social_worker)
    with pytest.raises(ValidationError) as raised:
        services.report_return(report=report, by=coordinator, comment="  ")
    assert _error_fields(raised) == {"comment"}

    services.report_return(report=report, by=coordinator, comment="Please say more about the problems.")
    report.refresh_from_db()
    assert report.status == "returned"
    assert report.return_comment == "Please say more about the problems."

    services.report_update(report=report, by=social_worker, problems="The bus stopped running in May.")
    services.report_submit(report=report, by=social_worker)
    services.report_approve(report=report, by=coordinator)
    report.refresh_from_db()
    assert report.status == "approved"
    assert [e.action for e in report.events.all()] == ["submitted", "returned", "submitted", "approved"]


# Freezing and corrections ------------------------------------------------------------------------


def _approve(report, social_worker, coordinator):
    write(report, social_worker)
    services.report_submit(report=report, by=social_worker)
    return services.report_approve(report=report, by=coordinator)


def test_an_approved_report_keeps_its_figures_when_activities_are_corrected(
    project, report, social_worker, coordinator
):
    _approve(report, social_worker, coordinator)
    activity = project.activities.get(date=dt.date(2025, 3, 1))
    project_services.activity_update(
        activity=activity, by=social_worker, participants_total=30, participants_new=4, women=20, men=10
    )
    ActivityFactory(project=project, date=dt.date(2025, 4, 1), participants_total=5)  # logged late

    shown = selectors.report_shown(ProgressReport.objects.get(pk=report.pk))

    assert shown["is_frozen"]
    assert shown["figures"]["attendances"] == 10
    assert shown["figures"]["activities"] == 1
    assert shown["narrative"]["highlights"] == "Written."
    assert selectors.report_figures(report)["attendances"] == 35  # what the activities say now


def test_the_next_report_shows_corrections_to_the_approved_period_as_a_difference(
    project, report, social_worker, coordinator
):
    _approve(report, social_worker, coordinator)
    second = period(coordinator, SECOND).reports.get(project=project)
    assert selectors.report_shown(second)["corrections"] == []

    activity = project.activities.get(date=dt.date(2025, 3, 1))
    project_services.activity_update(activity=activity, by=social_worker, participants_total=12, women=8)

    [correction] = selectors.report_shown(second)["corrections"]
    changes = {change["figure"]: change for change in correction["changes"]}
    assert changes["attendances"]["approved"] == 10
    assert changes["attendances"]["now"] == 12
    assert changes["attendances"]["difference"] == "2"
    assert changes["women"]["difference"] == "2"
    assert set(changes) == {"attendances", "women"}

    # approving the next report freezes the corrections it showed
    frozen = _approve(second, social_worker, coordinator)
    project_services.activity_update(activity=activity, by=social_worker, participants_total=10, women=6)
    assert selectors.report_shown(frozen)["corrections"][0]["changes"][0]["now"] == 12


def test_a_breakdown_no_activity_collected_is_not_collected_not_zero(organisation, coordinator):
    project = MicroProjectFactory(organisation=organisation)
    ActivityFactory(
        project=project,
        date=dt.date(2025, 2, 1),
        participants_total=7,
        participants_new=None,
        women=None,
        men=None,
        non_binary=None,
        gender_not_stated=None,
    )
    ActivityFactory(
        project=project,
        date=dt.date(2025, 3, 1),
        participants_total=5,
        participants_new=None,
        women=3,
        men=2,
        non_binary=None,
        gender_not_stated=None,
    )

    figures = selectors.activity_figures(project, *FIRST[:2])

    assert figures["new_participants"] is None
    assert figures["age"] is None
    assert figures["gender"] == {
        "women": 3,
        "men": 2,
        "non_binary": 0,
        "gender_not_stated": 0,
        "not_collected": 7,
    }


# Lateness ----------------------------------------------------------------------------------------


def test_a_report_not_submitted_by_its_due_date_is_late_by_the_days_since(report, social_worker):
    due = report.period.due
    assert selectors.days_late(report, today=due) is None
    assert selectors.days_late(report, today=due + dt.timedelta(days=3)) == 3
    write(report, social_worker)
    report = services.report_submit(report=report, by=social_worker)
    assert selectors.days_late(report, today=due + dt.timedelta(days=3)) is None


# Evidence ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("upload", [pdf_upload, docx_upload, odt_upload])
def test_evidence_of_each_kind_is_stored_with_its_checksum(report, social_worker, upload):
    evidence = services.evidence_add(report=report, by=social_worker, file=upload(), description="Minutes")
    assert evidence.size > 0
    assert len(evidence.checksum) == 64
    assert evidence.file.name.startswith("progress-evidence/")
    assert evidence.content_type == services.EVIDENCE_TYPES[evidence.filename.rsplit(".", 1)[1]]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("minutes.pdf", b"MZ\x90\x00 a program, not a PDF"),
        ("plan.docx", b"PK\x03\x04 not really a package"),
        ("photo.png", b"%PDF-1.4 a PDF named as an image"),
        ("script.html", b"<script>alert(1)</script>"),
        ("minutes", b"%PDF-1.4 no extension"),
    ],
)
def test_evidence_whose_content_is_not_what_its_name_says_is_refused(report, social_worker, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as raised:
        services.evidence_add(report=report, by=social_worker, file=SimpleUploadedFile(name, data))
    assert _error_fields(raised) == {"file"}
    assert not EvidenceFile.objects.exists()


def test_evidence_over_the_size_limit_is_refused(report, social_worker, settings):
    settings.SEMPRE_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as raised:
        services.evidence_add(report=report, by=social_worker, file=pdf_upload(size=1001))
    assert "at most" in raised.value.message_dict["file"][0]
    services.evidence_add(report=report, by=social_worker, file=pdf_upload(size=1000))


def test_evidence_cannot_be_added_to_a_submitted_report_nor_by_the_coordinator(
    report, social_worker, coordinator
):
    with pytest.raises(PermissionDenied):
        services.evidence_add(report=report, by=coordinator, file=pdf_upload())
    write(report, social_worker)
    services.report_submit(report=report, by=social_worker)
    with pytest.raises(ValidationError):
        services.evidence_add(report=report, by=social_worker, file=pdf_upload())
    assert not EvidenceFile.objects.exists()


def test_removing_evidence_deletes_its_file_after_the_commit(
    report, social_worker, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add(report=report, by=social_worker, file=pdf_upload())
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=evidence, by=social_worker)
    assert not storage.exists(name)


def test_the_report_counts_framework_contributions_as_the_programme_totals_do(report, social_worker):
    write(report, social_worker)
    report = services.report_submit(report=report, by=social_worker)
    rows = {(row["framework"], row["code"]): row for row in report.submitted_figures["frameworks"]}
    # ESF+ participants are people: the period's new participants (4), from the activities
    assert rows[("esf-plus", "EECO01")]["value"] == "4"
    assert rows[("esf-plus", "EECO01")]["people"] == 4
    assert rows[("esf-plus", "EECO01")]["source"] == "activities"


def test_stored_framework_rows_are_named_in_the_readers_language(report, social_worker):
    from django.utils import translation

    def eeco01(figures):
        return next(row for row in figures["frameworks"] if row["code"] == "EECO01")

    write(report, social_worker)
    report = services.report_submit(report=report, by=social_worker)
    english = eeco01(report.submitted_figures)["name"]
    with translation.override("de"):
        german = eeco01(selectors.report_shown(report)["figures"])["name"]
    assert german != english
    assert eeco01(report.submitted_figures)["name"] == english  # the stored figures stay as stored


@pytest.mark.parametrize("name", [".pdf", "...pdf", "/../../etc/passwd.pdf", "«»!.pdf"])
def test_evidence_with_a_strange_name_is_stored_under_a_safe_one(report, social_worker, name):
    evidence = services.evidence_add(report=report, by=social_worker, file=pdf_upload(name))
    assert evidence.filename.endswith(".pdf")
    assert "/" not in evidence.filename
    assert ".." not in evidence.file.name
