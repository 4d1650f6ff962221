"""Practice cases on a phone (issue #20 §2): a social worker of an Estonian organisation finds the
Luleå case by its method, adapts its canvas and Theory of Change into her own project (the tool
page says where it came from, and no client's words came along), and asks the Luleå team a
question. On a 360 px phone, every page checked with axe; the case page once more at 1280 px.

SEMPRE_SCREENSHOT_DIR=/tmp keeps screenshots of the list and the case page at both widths."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from exchange.models import Case, CaseMessage
from tests.exchange.case_factories import make_case
from tests.exchange.factories import method
from tests.factories import MembershipFactory, MicroProjectFactory, OrganisationFactory, UserFactory

from .conftest import LAPTOP
from .test_journeys import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}


def _shot(page, name: str) -> None:
    folder = os.environ.get("SEMPRE_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"cases-{name}.png"), full_page=True)


@pytest.mark.slow(10)
def test_an_estonian_social_worker_adapts_the_lulea_case_and_asks_the_team(open_journey, organisation):
    method()  # the library (a transactional test flushed it)
    lulea, _tools = make_case(organisation, status=Case.Status.PUBLISHED)
    german, _other = make_case(
        OrganisationFactory(name="Diakonie Greifswald", country="DE"),
        status=Case.Status.PUBLISHED,
        title="Intercultural garden in Greifswald",
    )
    german.methods.set([method("world-cafe")])
    narva = OrganisationFactory(name="Narva Social Welfare", country="EE")
    MembershipFactory(user=UserFactory(username="svetlana"), organisation=narva)
    club = MicroProjectFactory(organisation=narva, title="Estonian conversation club")

    journey = open_journey(viewport=SMALL_PHONE)
    page, main = journey.page, journey.page.locator("main")
    journey.login("svetlana")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice cases").click()
    journey.check()
    # On a phone the filters other than search are folded away, the cases first
    expect(page.get_by_label(field("Method"))).to_be_hidden()
    page.get_by_text("More filters").click()
    page.get_by_label(field("Method")).select_option(label="Photovoice")
    page.get_by_role("button", name="Filter").click()
    journey.check("filtered")
    expect(main.get_by_role("link", name=lulea.title)).to_be_visible()
    expect(main.get_by_role("link", name=german.title)).to_have_count(0)
    _shot(page, "list-360")

    main.get_by_role("link", name=lulea.title).click()
    journey.check()
    expect(main).to_contain_text("<5")  # a count of 3 is not shown as such
    _shot(page, "case-360")

    main.get_by_role("button", name="Adapt this").click()
    journey.check()
    page.get_by_label(field("Into which of your projects?")).select_option(label=club.title)
    page.get_by_role("button", name="Copy into my project").click()
    journey.check("adapted")
    expect(main).to_contain_text("Adapted from the practice case")
    expect(main).to_contain_text("Weekly market stall")
    expect(main).not_to_contain_text("Ask my neighbour Maria")  # a client's contribution stays home

    journey.goto(f"/exchange/cases/{lulea.pk}/")
    main.get_by_role("button", name="Ask the team").click()
    journey.check()
    page.get_by_label(field("Message")).fill("How did you find the first shops?")
    page.get_by_role("button", name="Send the question").click()
    journey.check("asked")
    expect(main).to_contain_text("How did you find the first shops?")
    assert CaseMessage.objects.filter(thread__case=lulea, thread__organisation=narva).count() == 1

    wide = open_journey(viewport=LAPTOP)
    wide.login("svetlana")
    wide.goto(f"/exchange/cases/{lulea.pk}/")
    expect(wide.page.locator("main")).to_contain_text("Your conversation with the team")
    _shot(wide.page, "case-1280")
    wide.goto("/exchange/cases/")
    _shot(wide.page, "list-1280")
