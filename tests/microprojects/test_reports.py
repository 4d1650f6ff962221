"""What is in each report: rendered in-process, read back with pypdf / openpyxl / csv."""

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from reports.renderers.base import small_count
from tests.factories import ActivityFactory, MicroProjectFactory
from tests.reports.fixtures import pdf_text


def test_project_pdf_holds_headings_and_figures(make_report, social_worker, project):
    job = make_report(social_worker, "project", {"project": project.pk})
    assert job.status == "succeeded", job.error
    text = pdf_text(job)
    for heading in ("Project report: Fruit bags for Luleå", "Summary", "Activities", "Participants over time",
                    "By gender", "By age", "Indicators against targets"):  # fmt: skip
        assert heading in text
    assert "Kick-off workshop" in text
    assert "Packing day" in text
    assert "21\nparticipations" in text  # 12 + 9
    assert "Clients with earned income" in text
    assert "25 %" in text


def test_project_pdf_shows_small_counts_as_less_than_five(make_report, social_worker, project):
    job = make_report(social_worker, "project", {"project": project.pk})
    text = pdf_text(job)
    # March: 12 people, 7 women, 3 men, 2 not stated -> "12 7 <5 0 <5"
    assert "12 7 <5 0 <5" in text
    assert "12 7 3 0 2" not in text


def test_project_pdf_in_the_requested_language(make_report, social_worker, project):
    job = make_report(social_worker, "project", {"project": project.pk}, language="de")
    text = pdf_text(job)
    assert "Schweden" in text  # the country, in German
    assert "März 2025" in text  # the month, in German


def test_programme_pdf_totals_by_country_and_projects(make_report, coordinator, project, other_project):
    job = make_report(coordinator, "programme", {})
    assert job.status == "succeeded", job.error
    text = pdf_text(job)
    headings = ("Programme report", "Totals by country", "Totals by target group", "Participants over time")
    for heading in (*headings, "Indicator achievement", "Projects"):
        assert heading in text
    assert "Latvia 1 1 30 15 15 0 0" in text
    assert "Sweden 1 2 21 12 7 0 <5" in text
    assert "Repair café Kuldīga" in text
    assert "Fruit bags for Luleå" in text


def test_programme_pdf_counts_a_project_without_activities_in_its_country(
    make_report, coordinator, project, other_project
):
    """The dashboard and the report count projects by country with one selector: a project with
    nothing logged yet is a project of its country all the same."""
    MicroProjectFactory(organisation=other_project.organisation, title="Not started yet")

    text = pdf_text(make_report(coordinator, "programme", {}))

    assert "Latvia 2 1 30 15 15 0 0" in text


def test_programme_pdf_filtered_by_country(make_report, coordinator, project, other_project):
    job = make_report(coordinator, "programme", {"country": "LV"})
    text = pdf_text(job)
    assert "Repair café Kuldīga" in text
    assert "Fruit bags for Luleå" not in text


def test_programme_xlsx_has_four_sheets_with_rows(make_report, coordinator, project, other_project):
    job = make_report(coordinator, "programme_xlsx", {})
    assert job.status == "succeeded", job.error
    with job.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    # then one sheet per indicator framework, added by the programme app (tests/programme)
    assert workbook.sheetnames[:4] == ["Projects", "Activities", "Indicators", "Measurements"]
    assert len(workbook.sheetnames) == 4 + 3
    activities = list(workbook["Activities"].iter_rows(values_only=True))
    assert activities[0][:3] == ("Date", "Project ID", "Project")
    assert [row[6] for row in activities[1:]] == ["Kick-off workshop", "Repair evening", "Packing day"]
    assert len(list(workbook["Projects"].iter_rows())) == 3
    assert len(list(workbook["Measurements"].iter_rows())) == 2
    # every row of the four sheets, and each framework's rows (28 indicators and their projects)
    assert job.progress_done == job.progress_total >= 2 + 3 + 1 + 1 + 28


def test_programme_csv_filtered_by_organisation_and_period(make_report, coordinator, project, other_project):
    job = make_report(
        coordinator,
        "programme_csv",
        {"organisation": project.organisation_id, "date_from": "2025-04-01", "date_to": "2025-12-31"},
    )
    with job.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert rows[0][0] == "Date"
    assert [row[6] for row in rows[1:]] == ["Packing day"]


def test_csv_text_that_looks_like_a_formula_is_defused(make_report, coordinator, project):
    ActivityFactory(project=project, date=dt.date(2025, 7, 1), title='=HYPERLINK("http://x")')
    job = make_report(coordinator, "programme_csv", {})
    with job.file.open("rb") as handle:
        content = handle.read().decode("utf-8-sig")
    assert "'=HYPERLINK" in content


def test_small_count_hides_one_to_four_only():
    assert [small_count(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
