"""A social worker's language follows her from device to device (issue #17 §2).

Anna chooses Latvian on her account page on a laptop whose browser asks for English; on a 360 px
phone, also in English, the login page is English, and everything after the login is Latvian.
There she switches to Arabic on the account page (right to left), then back to Latvian with the
language menu at the foot of the page, and the laptop follows. axe-core checks every page; no page
may scroll sideways on the phone (conftest.py).
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from sempre.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}


def words(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def expect_language(page, language: str, direction: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", direction)


@pytest.mark.slow(8)
def test_the_chosen_language_follows_the_person_to_another_device(open_journey, anna):
    laptop = open_journey(locale="en-GB")
    laptop.login("anna")
    page = laptop.page
    page.locator("details.dropdown summary").click()
    page.get_by_role("link", name="Your account").click()
    laptop.check("account page")
    page.get_by_role("main").get_by_label("Language", exact=True).select_option("lv")
    page.get_by_role("button", name="Save").click()
    laptop.check("saved in Latvian")
    expect_language(page, "lv", "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(words("lv", "Your account"))

    phone = open_journey(viewport=SMALL_PHONE, locale="en-GB")
    phone.login("anna")  # the login page is in the phone's language
    page = phone.page
    expect_language(page, "lv", "ltr")
    expect(page.get_by_role("link", name=words("lv", "Dashboard"), exact=True)).to_be_visible()

    phone.goto("/account/")
    page.get_by_role("main").get_by_label(words("lv", "Language"), exact=True).select_option("ar")
    page.get_by_role("button", name=words("lv", "Save")).click()
    phone.check("saved in Arabic")
    expect_language(page, "ar", "rtl")
    expect(page.get_by_role("status")).to_contain_text(
        words("ar", "Saved: your pages, e-mails and reports are in this language now.")
    )
    assert User.objects.get(username="anna").language == "ar"

    # The language menu at the foot of every page saves the choice as well.
    page.locator("#language-select").select_option("lv")
    page.get_by_role("button", name=words("ar", "Change")).click()
    phone.check("back to Latvian with the menu")
    expect_language(page, "lv", "ltr")
    assert User.objects.get(username="anna").language == "lv"

    laptop.goto("/")
    expect_language(laptop.page, "lv", "ltr")
