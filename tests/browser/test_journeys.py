"""Every role's work, end to end, in a real browser (issue #9).

Each journey is what a person does, through the UI only: labelled fields (get_by_label) and named
buttons and links (get_by_role), which also proves the labels and names exist. Only what a journey
does not itself cover is arranged with factories and services. axe-core checks every page (see
conftest.py). All journeys live in this one module, so under pytest-xdist each worker starts one
live server and one chromium.
"""

import re

import pytest
from playwright.sync_api import expect

from microprojects.models import Activity, Measurement, MicroProject

from ..factories import MembershipFactory, UserFactory
from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anna(organisation):
    """The social worker of the journeys, in Luleå."""
    from sempre.models import Membership

    return MembershipFactory(
        user=UserFactory(username="anna", first_name="Anna", last_name="Lind"),
        organisation=organisation,
        role=Membership.Role.SOCIAL_WORKER,
    ).user


def test_social_worker_on_a_phone_registers_a_project_logs_an_activity_and_records_a_value(
    open_journey, anna
):
    journey = open_journey(viewport=PHONE)
    page = journey.page
    journey.login("anna")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Register the project
    journey.goto("/projects/new/")
    page.get_by_label("Title", exact=True).fill("Fruit bags for Luleå")
    page.get_by_label("Summary", exact=True).fill("Syrian newcomers pack and sell fruit bags at the market.")
    page.get_by_label("Problem addressed", exact=True).fill("Newcomers have no income and few contacts.")
    page.get_by_label("Region or municipality", exact=True).fill("Luleå")
    page.get_by_label("Rural", exact=True).check()
    page.get_by_label("Start date", exact=True).fill("2026-01-15")
    page.get_by_label("Budget (EUR)", exact=True).fill("12000")
    page.get_by_role("button", name="Register the project").click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fruit bags for Luleå")
    project = MicroProject.objects.get(title="Fruit bags for Luleå")
    assert project.organisation.name == "Luleå Social Services"

    # Start it, then log an activity with participant counts
    page.get_by_role("button", name="Start the project").click()
    journey.check()
    page.get_by_role("button", name="Log an activity").first.click()
    journey.check()
    page.get_by_label("Date", exact=True).fill("2026-02-03")
    page.get_by_label("Title", exact=True).fill("Packing workshop")
    page.get_by_label("Participants", exact=True).fill("12")
    page.get_by_label("Of which new", exact=True).fill("5")
    page.get_by_label("Women", exact=True).fill("8")
    page.get_by_label("Men", exact=True).fill("3")
    page.get_by_label("Gender not stated", exact=True).fill("2")  # 13: does not add up to 12
    page.get_by_role("button", name="Log the activity").click()
    journey.check("activity form with an error")
    expect(page.locator("main")).to_contain_text("add up to")
    assert not Activity.objects.exists()
    page.get_by_label("Gender not stated", exact=True).fill("1")
    page.get_by_role("button", name="Log the activity").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("Packing workshop")
    activity = Activity.objects.get()
    counts = (activity.participants_total, activity.participants_new, activity.women, activity.men)
    assert counts == (12, 5, 8, 3)

    # Add an indicator and record a measurement
    page.get_by_role("button", name="Add an indicator").first.click()
    journey.check()
    page.get_by_label("Name", exact=True).fill("Members with earned income")
    page.get_by_label("Unit", exact=True).fill("people")
    page.get_by_label("Baseline", exact=True).fill("0")
    page.get_by_label("Target", exact=True).fill("20")
    page.get_by_label("Target date", exact=True).fill("2026-12-31")
    page.get_by_role("button", name=re.compile("indicator", re.I)).click()
    journey.check()
    page.get_by_role("link", name=re.compile("Record a value")).click()
    journey.check()
    page.get_by_label("Date", exact=True).fill("2026-03-01")
    page.get_by_label("Value", exact=True).fill("6")
    page.get_by_role("button", name="Record the value").click()
    journey.check()
    measurement = Measurement.objects.get()
    assert measurement.value == 6
    assert measurement.indicator.project == project
    expect(page.locator("#indicators")).to_contain_text("30 %")


def test_the_accessibility_check_reports_a_serious_violation(open_journey, live_server):
    """The axe check can fail: a page with an unlabelled field and an image without text."""
    journey = open_journey()
    journey.page.goto(live_server.url + "/accounts/login/")
    journey.page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>'
    )
    journey.check()
    rules = {violation["id"] for _where, violation in journey.violations}
    assert {"image-alt", "label"} <= rules
    assert "image-alt" in journey.report()
    journey.violations.clear()  # expected here; the fixture would fail the test otherwise
