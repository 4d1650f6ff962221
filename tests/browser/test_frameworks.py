"""The crosswalk on a phone and the coordinator's framework totals on a laptop (issue #21 §1):
Anna maps her project's indicator to an IRIS+ metric from the project page; the coordinator reads
the programme's IRIS+ totals with her project counted. Every page is checked with axe and may not
scroll sideways on a 360 px phone (conftest.py)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from programme.loader import load_frameworks
from tests.factories import ActivityFactory, MeasurementFactory, UserFactory

from .test_journeys import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.mark.slow(8)
def test_anna_maps_an_indicator_and_the_coordinator_sees_it_counted(open_journey, anna, fruit_bags):
    load_frameworks()  # the catalogue (a transactional test flushed it)
    indicator = fruit_bags.indicators.get()
    MeasurementFactory(indicator=indicator, date=dt.date(2026, 3, 1), value=12)
    ActivityFactory(project=fruit_bags, date=dt.date(2026, 3, 1), participants_total=9, participants_new=9)
    UserFactory(username="coordinator", is_coordinator=True)

    journey = open_journey(viewport=SMALL_PHONE)
    page, main = journey.page, journey.page.locator("main")
    journey.login("anna")
    journey.goto(f"/projects/{fruit_bags.pk}/")
    main.get_by_role("link", name="Map to frameworks").click()
    journey.check()
    page.get_by_label(field("Framework indicator")).select_option(
        label="IRIS+ metrics for social enterprises: PI4060 Client Individuals: Total"
    )
    page.get_by_label(field("Relation")).select_option(label="Proxy")
    page.get_by_role("button", name="Map the indicator").click()
    journey.check("mapped")
    expect(main.get_by_role("table")).to_contain_text("PI4060")
    page.screenshot(path="/tmp/frameworks-mapping-360.png", full_page=True)

    journey.logout()
    laptop = open_journey()
    laptop.login("coordinator")
    laptop.goto("/programme/frameworks/iris-plus/?period=2026-01-01..2026-06-30")
    table = laptop.page.locator("main table")
    # the activities' 9 new participants (equivalent) win over the proxy's 12
    expect(table.get_by_role("row").filter(has_text="PI4060")).to_contain_text("Fruit bags for Luleå: 9")
    expect(table.get_by_role("row").filter(has_text="PI1775")).to_contain_text("not collected")
    laptop.page.screenshot(path="/tmp/frameworks-totals-1280.png", full_page=True)
