"""A progress report through its workflow (issue #21 §2): Anna writes her project's report on a
360 px phone, attaches a PDF and submits; the coordinator returns it with a comment on a laptop;
Anna reads the comment, changes the report and submits again; the coordinator approves it, and
the table shows it approved. Every page is checked with axe and may not scroll sideways on the
phone (conftest.py); the coordinator's table is also opened on the phone (it scrolls in its box)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from programme.progress import services
from tests.factories import ActivityFactory, UserFactory

from .test_journeys import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}
MINUTES = b"%PDF-1.4\n% minutes of the spring meeting\n"


@pytest.mark.slow(15)
def test_a_report_is_written_returned_resubmitted_and_approved(open_journey, anna, fruit_bags, tmp_path):
    ActivityFactory(project=fruit_bags, date=dt.date(2025, 3, 1), participants_total=9, participants_new=4)
    coordinator = UserFactory(username="coordinator", is_coordinator=True)
    period = services.period_create(
        by=coordinator, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30), due=dt.date(2025, 7, 31)
    )
    report = period.reports.get(project=fruit_bags)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(MINUTES)

    phone = open_journey(viewport=SMALL_PHONE)
    page, main = phone.page, phone.page.locator("main")
    phone.login("anna")
    main.get_by_role("link", name="Fruit bags for Luleå, 1 Jan 2025 to 30 Jun 2025").click()
    phone.check("from the dashboard")
    expect(main).to_contain_text("late by")
    page.get_by_label(field("File")).set_input_files(str(minutes))
    page.get_by_label(field("What it shows")).fill("Minutes of the spring meeting")
    page.get_by_role("button", name="Attach").click()
    phone.check("evidence attached")
    expect(main.get_by_role("link", name="minutes.pdf")).to_be_visible()
    main.get_by_role("button", name="Write the report").click()
    phone.check()
    page.get_by_label(field("Highlights")).fill("Nine people packed fruit bags every week.")
    page.get_by_label(field("Problems and deviations")).fill("The bus stopped in May.")
    page.get_by_label(field("Next steps")).fill("Sell at the Saturday market.")
    page.get_by_role("button", name="Save and submit").click()
    phone.check("submitted")
    expect(main).to_contain_text("Submitted")
    page.screenshot(path="/tmp/progress-report-360.png", full_page=True)

    phone.logout()
    laptop = open_journey()
    laptop.login("coordinator")
    laptop.goto("/programme/progress/")
    laptop.page.locator("main table").get_by_role("link", name="Submitted").click()
    laptop.check()
    laptop.page.get_by_label("Return to the team").check()
    laptop.page.get_by_label(field("Comments")).fill("How did people get there without the bus?")
    laptop.page.get_by_role("button", name="Record the decision").click()
    laptop.check("returned")
    expect(laptop.page.locator("main")).to_contain_text("Returned")

    phone.login("anna")
    phone.goto(f"/programme/progress/{report.pk}/")
    expect(main).to_contain_text("How did people get there without the bus?")
    main.get_by_role("button", name="Write the report").click()
    phone.check()
    page.get_by_label(field("Problems and deviations")).fill(
        "The bus stopped in May; we drove people ourselves."
    )
    page.get_by_role("button", name="Save and submit").click()
    phone.check("submitted again")

    laptop.goto(f"/programme/progress/{report.pk}/")
    laptop.page.get_by_label("Approve").check()
    laptop.page.get_by_role("button", name="Record the decision").click()
    laptop.check("approved")
    expect(laptop.page.locator("main")).to_contain_text("As approved.")
    laptop.goto("/programme/progress/")
    expect(laptop.page.locator("main table")).to_contain_text("Approved")
    laptop.page.screenshot(path="/tmp/progress-table-1280.png", full_page=True)

    phone.logout()
    phone.login("coordinator")
    phone.goto("/programme/progress/")  # the table scrolls inside its own box on the phone
    page.screenshot(path="/tmp/progress-table-360.png", full_page=True)
