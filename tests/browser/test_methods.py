"""The methods library on a phone (issue #20 §1): a social worker opens Methods from the menu,
filters for older people who read little, reads a method's steps, and sees that her own project
used the canvas method, with the blank sheet to print. Every page is checked with axe and may not
scroll sideways on a 360 px phone (conftest.py)."""

import pytest
from playwright.sync_api import expect

from tests.exchange.factories import method
from tests.toolkit.factories import ToolInstanceFactory

from .test_journeys import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.mark.slow(8)
def test_a_social_worker_finds_a_method_for_her_group_on_a_phone(open_journey, anna, fruit_bags):
    method()  # the library (a transactional test flushed it)
    ToolInstanceFactory(project=fruit_bags)  # her project has a Social Business Model Canvas
    journey = open_journey(viewport=SMALL_PHONE)
    page = journey.page
    main = page.locator("main")
    journey.login("anna")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Methods").click()
    journey.check()
    expect(main).to_contain_text("Participatory budgeting of a small fund")

    page.get_by_label(field("Target group")).select_option(label="Older people")
    page.get_by_label(field("Works well with")).select_option(label="People who read little")
    page.get_by_role("button", name="Filter").click()
    journey.check("filtered")
    expect(main.get_by_role("link", name="Photovoice")).to_be_visible()
    expect(main.get_by_role("link", name="Business Model Canvas", exact=True)).to_have_count(0)

    main.get_by_role("link", name="Photovoice").click()
    journey.check()
    expect(main.locator("ol").last.get_by_role("listitem").first).to_contain_text("Agree on a theme")
    expect(main).to_contain_text("People who read little")

    journey.goto("/exchange/methods/sbmc/")
    expect(main.get_by_role("link", name="Fruit bags for Luleå")).to_be_visible()
    expect(main.get_by_role("link", name="Blank printable sheet (PDF)")).to_have_attribute(
        "href", "/tools/templates/sbmc/blank.pdf"
    )
