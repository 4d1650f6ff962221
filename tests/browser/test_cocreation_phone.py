"""A moderation round on a 360 px phone (issues #16 and #17).

A social worker creates an invite on her phone without choosing a language, copies its link and
prints its A4 sheet (one page, checked on Chromium's print-to-PDF with `pdfinfo`). A client whose
phone speaks Arabic opens the link: the pages are in Arabic, right to left. The client forgets the
consent box (the focus moves to its message), ticks it once, and answers a second question without
ticking it again. On her phone, the social worker sees both answers as cards saying "Arabic",
accepts one, sets the other aside ("Do not use" asks first), then reconsiders it and accepts it
after all. Every page is checked with axe and may not scroll sideways (conftest.py).
"""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from sempre import audit
from sempre.models import AuditEvent
from toolkit import services as toolkit_services
from toolkit.cocreation import services as cocreation_services
from toolkit.cocreation.models import Contribution, Invite
from toolkit.cocreation.selectors import invite_blocks, invite_by_token

from .test_journeys import HTMX_IDLE, client_text, field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}
# The longest label an invite may have, in Arabic: the printed sheet must still fit one page.
LONG_LABEL = ("ورشة السبت في سوق المدينة مع العائلات السورية الجديدة " * 4)[:200]


@pytest.fixture
def canvas(anna, fruit_bags):
    return toolkit_services.tool_create(project=fruit_bags, template="sbmc", by=anna)


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.slow(20)
def test_a_moderation_round_on_a_small_phone(open_journey, anna, canvas, tmp_path):
    # The social worker invites clients from her phone, leaving the language to the clients' phones
    worker = open_journey(viewport=SMALL_PHONE)
    page = worker.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    worker.login("anna")
    worker.goto(f"/co-creation/tools/{canvas.pk}/invites/")
    page.get_by_label(field("Label")).fill(LONG_LABEL)
    expect(page.get_by_label(re.compile("^Language the client pages open in"))).to_have_value("")
    page.get_by_role("button", name="Create invite").click()
    worker.check("new invite")
    invite = Invite.objects.get(tool=canvas)
    assert invite.language == ""
    link = page.get_by_label(field("Link")).input_value()
    assert "/c/" in link

    # Copy link and the A4 sheet are right there, working
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    # the sheet prints itself when opened from the invite page: count the calls instead of printing,
    # so the PDF below is not refused as "already being printed"
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page.get_by_role("button", name="Print an A4 sheet with the QR code").click()
    worker.check("A4 sheet")
    page.wait_for_function("() => window.printed === 1", polling=100)
    sheet = page.locator("main.invite-sheet")
    expect(sheet).to_have_attribute("lang", "sv")  # no language chosen: the organisation's country's
    expect(sheet).to_contain_text(link)
    if shutil.which("pdfinfo"):
        page.emulate_media(media="print")
        pdf = tmp_path / "sheet.pdf"
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
        assert pdf_pages(pdf) == 1
        page.emulate_media(media="screen")

    # A client whose phone speaks Arabic opens the link
    client = open_journey(viewport=SMALL_PHONE, locale="ar")
    cpage = client.page
    token = link.rstrip("/").rsplit("/", 1)[1]
    first, second = invite_blocks(invite)[:2]
    client.goto(f"/c/{token}/")
    expect(cpage.locator("html")).to_have_attribute("lang", "ar")
    expect(cpage.locator("html")).to_have_attribute("dir", "rtl")
    cpage.get_by_role("button", name=client_text("ar", "Start")).click()
    client.check()
    cpage.get_by_label(first.text("ar")["plain_question"], exact=True).fill("ورشة نطبخ فيها معًا")
    cpage.get_by_role("button", name=client_text("ar", "Send my answer")).click()
    client.check("no consent yet")
    assert not Contribution.objects.exists()
    # the missing consent's message has the focus, and is in view
    assert cpage.evaluate("document.activeElement.id") == "consent-errors"
    expect(cpage.locator("#consent-errors")).to_be_in_viewport()
    cpage.get_by_label(client_text("ar", "I have read this and I agree.")).check()
    cpage.get_by_role("button", name=client_text("ar", "Send my answer")).click()
    client.check()
    cpage.get_by_role("button", name=client_text("ar", "Next question")).click()
    client.check()
    # consent once per visit: no box this time
    expect(cpage.get_by_label(client_text("ar", "I have read this and I agree."))).to_have_count(0)
    cpage.get_by_label(second.text("ar")["plain_question"], exact=True).fill("بيع الخبز في السوق")
    cpage.get_by_role("button", name=client_text("ar", "Send my answer")).click()
    client.check()
    cooking, bread = Contribution.objects.order_by("created_at", "id")
    assert (cooking.language, bread.language) == ("ar", "ar")
    assert bread.consent_at == cooking.consent_at

    # The social worker moderates on her phone: cards, each with its language
    worker.goto("/co-creation/")
    cards = page.locator("article.contribution-card")
    expect(cards).to_have_count(2)
    for card in (cards.nth(0), cards.nth(1)):
        expect(card).to_contain_text("Arabic")
        accept = card.get_by_role("button", name=re.compile("^Accept"))
        expect(accept).to_be_visible()
        box = accept.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= SMALL_PHONE["width"]
    cooking_card = page.locator(f"#contribution-{cooking.pk}")
    bread_card = page.locator(f"#contribution-{bread.pk}")
    cooking_card.get_by_role("button", name=re.compile("^Accept")).click()
    page.wait_for_function(HTMX_IDLE, polling=100)
    expect(cooking_card).to_contain_text("Accepted")
    worker.check("accepted one")

    # "Do not use" asks first: dismissed, nothing happens; confirmed, it is set aside
    page.once("dialog", lambda dialog: dialog.dismiss())
    bread_card.get_by_role("button", name=re.compile("^Do not use")).click()
    page.wait_for_timeout(300)
    bread.refresh_from_db()
    assert bread.status == Contribution.Status.PENDING
    page.once("dialog", lambda dialog: dialog.accept())
    bread_card.get_by_role("button", name=re.compile("^Do not use")).click()
    page.wait_for_function(HTMX_IDLE, polling=100)
    expect(bread_card).to_contain_text("Not used")
    worker.check("set aside")
    bread.refresh_from_db()
    assert bread.status == Contribution.Status.REJECTED

    # On second thoughts: reconsidered from the "Not used" list, then accepted after all
    page.get_by_role("navigation", name="Filter by status").get_by_role("link", name="Not used").click()
    worker.check("not used")
    expect(page.locator("main")).to_contain_text("Until then you can reconsider")
    bread_card.get_by_role("button", name=re.compile("^Reconsider: back to the queue")).click()
    page.wait_for_function(HTMX_IDLE, polling=100)
    expect(bread_card).to_contain_text("Waiting for review")
    worker.check("reconsidered")
    bread_card.get_by_role("button", name=re.compile("^Accept")).click()
    page.wait_for_function(HTMX_IDLE, polling=100)
    expect(bread_card).to_contain_text("Accepted")
    worker.check()
    bread.refresh_from_db()
    assert bread.status == Contribution.Status.ACCEPTED
    assert bread.entry.text == "بيع الخبز في السوق"
    event = AuditEvent.objects.get(action=audit.CONTRIBUTION_RECONSIDERED)
    assert event.actor == anna
    assert event.data == {"contribution": bread.pk, "status": "pending"}


@pytest.mark.slow(10)
def test_a_lost_link_is_replaced_and_do_not_use_asks_without_javascript(open_journey, anna, canvas):
    invite, old_token = cocreation_services.invite_create(tool=canvas, by=anna, label="Open café")
    contribution, _code = cocreation_services.contribution_submit(
        invite=invite, block_key="channels", text="Posters at the library", language="sv", consent=True
    )
    worker = open_journey(viewport=SMALL_PHONE)
    page = worker.page
    page.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())  # no JavaScript at all
    worker.login("anna")

    # Another day, another browser: the link cannot be shown again, so it is replaced, after a question
    worker.goto(f"/co-creation/invites/{invite.pk}/")
    expect(page.get_by_label(field("Link"))).to_have_count(0)
    page.get_by_role("button", name="Replace link").click()
    worker.check("asks first")
    expect(page.locator("main")).to_contain_text("The old link stops working at once")
    page.get_by_role("button", name="Yes, make a new link").click()
    worker.check("new link")
    new_link = page.get_by_label(field("Link")).input_value()
    assert old_token not in new_link
    assert invite_by_token(old_token) is None
    assert invite_by_token(new_link.rstrip("/").rsplit("/", 1)[1]) == invite
    assert AuditEvent.objects.filter(action=audit.INVITE_LINK_REPLACED, actor=anna).count() == 1
    page.get_by_role("button", name="Print an A4 sheet with the QR code").click()  # a plain link
    worker.check("A4 sheet")
    expect(page.locator("main.invite-sheet")).to_contain_text(new_link)

    # "Do not use" without JavaScript: a confirmation page first, with the note
    worker.goto("/co-creation/")
    page.locator(f"#contribution-{contribution.pk}").get_by_role(
        "button", name=re.compile("^Do not use")
    ).click()
    worker.check("asks first")
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    page.get_by_label(field("Note for the team (optional)")).fill("We have posters already")
    page.get_by_role("button", name="Yes, do not use it").click()
    worker.check()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REJECTED
    assert contribution.moderation_note == "We have posters already"

    # Revoking is final: it asks first too
    worker.goto(f"/co-creation/invites/{invite.pk}/")
    page.get_by_role("button", name="Revoke: the link stops working at once").click()
    worker.check("asks first")
    invite.refresh_from_db()
    assert invite.revoked_at is None
    page.get_by_role("button", name="Yes, revoke it").click()
    worker.check()
    invite.refresh_from_db()
    assert invite.revoked_at is not None
