"""The framework summary in the programme PDF and one sheet per framework in the programme XLSX
(programme.reports, added through reports.sections: microprojects does not know programme)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from programme.reports import framework_sheets
from reports.sections import sections_for, sheets_for

from .frameworks_world import build

pytestmark = pytest.mark.django_db

PARAMS = {
    "date_from": dt.date(2026, 1, 1),
    "date_to": dt.date(2026, 6, 30),
    "country": "",
    "organisation": None,
}


def test_one_sheet_per_framework_with_totals_and_contributions_and_small_counts_hidden(
    coordinator, organisation, other_organisation
):
    build(organisation, other_organisation)
    sheets = sheets_for("programme_xlsx", {"user": coordinator, "params": {**PARAMS, "country": "LV"}})
    assert [sheet.title for sheet in sheets] == [
        "Interreg common indicators (soc",
        "ESF+ common indicators for part",
        "IRIS+ metrics for social enterp",
    ]
    esf = {(row[0], row[4]): row for row in sheets[1].rows}
    assert esf[("EECO01", None)][3] == "<5"  # 3 people in Latvia: leaves the platform as <5
    assert esf[("EECO16", None)][3] == "not collected"
    for sheet in framework_sheets({"user": coordinator, "params": PARAMS}):
        assert sheet.count == len(list(sheet.rows)) > 1  # announced as written (Excel's limit, progress)
    interreg = {
        (row[0], row[4]): row for row in framework_sheets({"user": coordinator, "params": PARAMS})[0].rows
    }
    assert interreg[("RCO 84", None)][3] == 5
    assert interreg[("RCO 83", None)][3] == "not collected"


def test_the_pdf_summary_lists_each_framework_with_suppressed_figures(
    coordinator, organisation, other_organisation
):
    build(organisation, other_organisation)
    [section] = [
        s for s in sections_for("programme", {"user": coordinator, "params": PARAMS}) if "EECO01" in s.html
    ]
    assert "Interreg common indicators" in section.html
    assert "RCO 84" in section.html
    assert "not collected" in section.html


def test_the_programme_workbook_holds_the_framework_sheets(
    make_report, coordinator, organisation, other_organisation
):
    build(organisation, other_organisation)
    job = make_report(coordinator, "programme_xlsx", {"date_from": "2026-01-01", "date_to": "2026-06-30"})
    assert job.status == job.Status.SUCCEEDED, job.error
    workbook = load_workbook(io.BytesIO(job.file.read()), read_only=True)
    assert len([name for name in workbook.sheetnames if "indicators" in name or "IRIS+" in name]) == 3
