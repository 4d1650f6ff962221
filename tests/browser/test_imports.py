"""Bringing data in on a phone (issue #21 §4): a social worker downloads the template, uploads a
filled file with a date written as local text, sees the error by row and column, uploads the
corrected file, sees what the import would create, confirms, and sees the result. Every page is
checked with axe and may not scroll sideways on a 360 px phone (conftest.py)."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from microprojects.imports import template
from microprojects.models import Activity

from .test_journeys import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}


def filled(path, date):
    rows = {
        "activities": [
            {
                "external_id": "A-17",
                "project": "Fruit bags for Luleå",
                "date": date,
                "kind": "workshop",
                "title": "Packing fruit bags",
                "participants_total": 8,
            }
        ]
    }
    path.write_bytes(template.workbook_bytes(rows))
    return str(path)


@pytest.mark.slow(8)
def test_a_social_worker_imports_a_corrected_spreadsheet_on_a_phone(open_journey, anna, fruit_bags, tmp_path):
    journey = open_journey(viewport=SMALL_PHONE)
    page = journey.page
    main = page.locator("main")
    journey.login("anna")
    journey.goto("/projects/")
    main.get_by_role("button", name="Import data").click()
    journey.check()

    with page.expect_download() as download:
        main.get_by_role("button", name="Download the template (.xlsx)").click()
    with open(download.value.path(), "rb") as file:  # a name without .xlsx: openpyxl reads a file object
        workbook = load_workbook(file)
    assert {"projects", "activities", "indicators", "measurements"} <= set(workbook.sheetnames)

    page.get_by_label(field("File")).set_input_files(filled(tmp_path / "with-error.xlsx", "5.3.2025"))
    main.get_by_role("button", name="Check the file").click()
    journey.check("dry run with an error")
    errors = main.get_by_role("table", name="Errors in the sheet Activities, by row and column")
    expect(errors).to_contain_text("date (C2)")
    expect(errors).to_contain_text("YYYY-MM-DD")
    expect(main.get_by_role("button", name="Import now")).to_have_count(0)
    page.screenshot(path="/tmp/imports-error-360.png", full_page=True)

    main.get_by_role("link", name="Upload another file").click()
    journey.check()
    page.get_by_label(field("File")).set_input_files(filled(tmp_path / "corrected.xlsx", dt.date(2025, 3, 5)))
    main.get_by_role("button", name="Check the file").click()
    journey.check("dry run without errors")
    expect(main).to_contain_text("Would create: 1")
    main.get_by_role("button", name="Import now").click()
    journey.check("imported")
    expect(main).to_contain_text("Result of the import")
    expect(main).to_contain_text("Created: 1")
    page.screenshot(path="/tmp/imports-result-360.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path="/tmp/imports-result-1280.png", full_page=True)

    activity = Activity.objects.get(external_id="A-17")
    assert activity.project == fruit_bags
    assert activity.date == dt.date(2025, 3, 5)
