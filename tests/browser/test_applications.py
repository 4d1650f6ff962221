"""Browser journeys of issue #16 (canvas status, changing and withdrawing an application) and
#17 §2 (an application's language): what a hurried social worker does, on a laptop and a phone."""

import re

import pytest
from playwright.sync_api import expect

from accelerator.models import Application
from toolkit.cocreation import services as cocreation_services
from toolkit.models import ToolInstance

from ..accelerator.factories import CriterionFactory, RoundFactory, make_ready
from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Who benefits, and who pays?"


def field(label: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(label)}:?\s*$")


@pytest.fixture
def open_round(db):
    round = RoundFactory(title="Accelerator 2027", questions=[QUESTION], blind_review=True)
    CriterionFactory(round=round, name="Social value")
    return round


def test_applicant_applies_in_swedish_changes_the_application_then_withdraws_it(
    open_journey, anna, fruit_bags, open_round
):
    make_ready(fruit_bags, anna)
    journey = open_journey()
    page = journey.page
    journey.login("anna")
    journey.goto(f"/accelerator/rounds/{open_round.pk}/")
    page.get_by_role("button", name="Apply", exact=True).click()
    journey.check()
    page.get_by_label(field(QUESTION)).fill("Women in Luleå; the market pays")
    page.get_by_label(field("Language of this application")).select_option("sv")
    page.get_by_role("button", name="Submit the application").click()
    journey.check()
    application = Application.objects.get()
    assert application.language == "sv"
    expect(page.locator("main")).to_contain_text("Written in")
    expect(page.locator("main")).to_contain_text("Swedish")

    # A hurried change: the answer wiped by mistake is refused, nothing changes
    page.get_by_role("button", name="Change the application").click()
    journey.check()
    page.get_by_label(field(QUESTION)).fill("   ")
    page.get_by_role("button", name="Save the changes").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("Please correct the errors marked below.")
    application.refresh_from_db()
    assert application.answers == {QUESTION: "Women in Luleå; the market pays"}

    # Then the real change, in English, with the tools frozen again
    page.get_by_label(field(QUESTION)).fill("Older women in Luleå; the Saturday market pays")
    page.get_by_label(field("Language of this application")).select_option("en")
    page.get_by_label(re.compile("Freeze the project's canvas")).check()
    page.get_by_role("button", name="Save the changes").click()
    journey.check()
    expect(page.locator("main")).to_contain_text("Last changed")
    expect(page.locator("main")).to_contain_text("Older women in Luleå")
    application.refresh_from_db()
    assert application.language == "en"

    # Withdraw on a phone: the page asks first, and only the confirmation withdraws
    phone = open_journey(viewport=PHONE)
    phone.login("anna")
    phone.goto(f"/accelerator/applications/{application.pk}/")
    phone.page.get_by_role("button", name="Withdraw…").click()
    phone.check()
    expect(phone.page.get_by_role("heading", level=1)).to_contain_text("Withdraw the application")
    phone.page.get_by_role("link", name="No, keep it").click()
    phone.check()
    application.refresh_from_db()
    assert application.status == "submitted"
    phone.page.get_by_role("button", name="Withdraw…").click()
    phone.check()
    phone.page.get_by_role("button", name="Yes, withdraw the application").click()
    phone.check()
    expect(phone.page.locator("h1 .badge")).to_have_text("Withdrawn")
    expect(phone.page.locator("main")).to_contain_text("You withdrew this application")
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_accepting_a_clients_idea_keeps_a_complete_canvas_complete(open_journey, anna, fruit_bags):
    make_ready(fruit_bags, anna)
    canvas = fruit_bags.tools.get(template__slug="sbmc")
    assert canvas.status == ToolInstance.Status.COMPLETE
    invite, _token = cocreation_services.invite_create(
        tool=canvas, by=anna, label="Market day", language="en", block_keys=("customer_segments",)
    )
    cocreation_services.contribution_submit(
        invite=invite,
        block_key="customer_segments",
        text="Families who shop at the Saturday market",
        language="en",
        consent=True,
    )
    journey = open_journey()
    page = journey.page
    journey.login("anna")
    journey.goto("/co-creation/")
    page.get_by_role("button", name="Accept").first.click()
    page.wait_for_load_state("networkidle")
    journey.check()
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    journey.goto(f"/tools/{canvas.pk}/")
    status = page.locator(".tk-status")
    expect(status).to_contain_text("Complete")
    expect(status).to_contain_text("13 of 13 blocks filled")
    expect(status).not_to_contain_text("Needs attention")
    expect(page.locator("#block-customer_segments")).to_contain_text(
        "Families who shop at the Saturday market"
    )
    canvas.refresh_from_db()
    assert canvas.status == ToolInstance.Status.COMPLETE
