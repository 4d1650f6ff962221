"""Each person's language, remembered (issue #17 §2): saved on the account from the language menu or
the account page, used for their pages on every device and for the password reset e-mail.
Anonymous visitors keep the cookie / Accept-Language behaviour."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sempre.languages import language_of
from sempre.services import user_language_set

pytestmark = pytest.mark.django_db


def in_language(language: str, message: str) -> str:
    """`message` translated; the test is only worth something if the translation exists."""
    with translation.override(language):
        translated = translation.gettext(message)
    assert translated != message, f"{message!r} is not translated into {language}"
    return translated


def translated(language: str, message: str) -> str:
    """`message` in `language`, for messages that may still wait for their translation."""
    with translation.override(language):
        return translation.gettext(message)


def log_in(client: Client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": "secret-pass-123"})
    assert response.status_code == 302


def html_lang(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.text)
    assert match, response.text[:300]
    return match.group(1), match.group(2)


# Pages ------------------------------------------------------------------------------------------


def test_pages_after_login_on_a_fresh_device_are_in_the_saved_language(social_worker):
    user_language_set(user=social_worker, language="lv")
    phone = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")  # a new device, asking for English

    log_in(phone, "anna")
    response = phone.get(reverse("dashboard"))

    assert html_lang(response) == ("lv", "ltr")
    assert response["Content-Language"] == "lv"
    assert f">{in_language('lv', 'Dashboard')}</a>" in response.text


def test_the_saved_language_wins_over_the_language_cookie(social_worker):
    user_language_set(user=social_worker, language="lv")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    log_in(client, "anna")

    assert html_lang(client.get(reverse("microprojects:list")))[0] == "lv"


def test_arabic_staff_pages_run_right_to_left(social_worker):
    user_language_set(user=social_worker, language="ar")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    log_in(client, "anna")

    response = client.get(reverse("dashboard"))

    assert html_lang(response) == ("ar", "rtl")
    assert f">{in_language('ar', 'Dashboard')}</a>" in response.text


def test_without_a_saved_language_pages_follow_the_browser(social_worker):
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    log_in(client, "anna")

    assert html_lang(client.get(reverse("dashboard")))[0] == "de"


def test_anonymous_visitors_keep_the_cookie_and_accept_language(client):
    assert html_lang(Client(HTTP_ACCEPT_LANGUAGE="sv").get(reverse("login")))[0] == "sv"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    assert html_lang(client.get(reverse("login")))[0] == "fi"


# The language menu ------------------------------------------------------------------------------


def test_choosing_in_the_menu_while_logged_in_saves_it_for_every_device(social_worker, client_for):
    laptop = client_for(social_worker)

    response = laptop.post(reverse("set_language"), {"language": "lv", "next": reverse("dashboard")})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    social_worker.refresh_from_db()
    assert social_worker.language == "lv"
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    log_in(phone, "anna")
    assert html_lang(phone.get(reverse("dashboard")))[0] == "lv"


def test_choosing_in_the_menu_while_logged_in_changes_the_page_at_once(social_worker, client_for):
    user_language_set(user=social_worker, language="lv")
    client = client_for(social_worker)

    client.post(reverse("set_language"), {"language": "ar", "next": reverse("dashboard")})

    assert html_lang(client.get(reverse("dashboard"))) == ("ar", "rtl")


def test_choosing_in_the_menu_anonymously_sets_only_the_cookie(client, social_worker):
    response = client.post(reverse("set_language"), {"language": "lv", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    social_worker.refresh_from_db()
    assert social_worker.language == ""


def test_an_unknown_language_from_the_menu_is_ignored(social_worker, client_for):
    user_language_set(user=social_worker, language="lv")
    client = client_for(social_worker)

    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.language == "lv"


def test_the_menu_names_each_language_in_itself_with_its_lang(social_worker, client_for):
    response = client_for(social_worker).get(reverse("dashboard"))

    assert '<option value="lv" lang="lv"' in response.text
    assert ">latviešu</option>" in response.text


# The account page -------------------------------------------------------------------------------


def test_the_account_page_shows_the_saved_language(social_worker, client_for):
    user_language_set(user=social_worker, language="lv")

    response = client_for(social_worker).get(reverse("account"))

    assert response.status_code == 200
    assert html_lang(response)[0] == "lv"
    assert '<option value="lv" lang="lv" selected>latviešu</option>' in response.text
    assert f"<h1>{translated('lv', 'Your account')}</h1>" in response.text
    assert in_language("lv", "Change password") in response.text


def test_the_account_page_saves_the_language_and_answers_in_it(social_worker, client_for):
    client = client_for(social_worker)

    response = client.post(reverse("account"), {"language": "ar"}, follow=True)

    social_worker.refresh_from_db()
    assert social_worker.language == "ar"
    assert html_lang(response) == ("ar", "rtl")
    saved = translated("ar", "Saved: your pages, e-mails and reports are in this language now.")
    assert saved in response.text
    assert in_language("ar", "Change password") in response.text
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


def test_the_account_page_clears_the_language(social_worker, client_for):
    user_language_set(user=social_worker, language="lv")
    client = client_for(social_worker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"

    response = client.post(reverse("account"), {"language": ""}, follow=True)

    social_worker.refresh_from_db()
    assert social_worker.language == ""
    assert html_lang(response)[0] == "de"


def test_the_account_page_refuses_an_unknown_language_naming_the_field(social_worker, client_for):
    user_language_set(user=social_worker, language="lv")

    response = client_for(social_worker).post(reverse("account"), {"language": "klingon"})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert "klingon" in response.text
    social_worker.refresh_from_db()
    assert social_worker.language == "lv"


def test_the_account_page_needs_a_login(client):
    response = client.get(reverse("account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The service ------------------------------------------------------------------------------------


def test_the_service_refuses_an_unknown_language_naming_the_field(social_worker):
    with pytest.raises(ValidationError) as error:
        user_language_set(user=social_worker, language="en-us")

    assert list(error.value.message_dict) == ["language"]
    social_worker.refresh_from_db()
    assert social_worker.language == ""


def test_language_of_falls_back_to_the_fallback_then_english(social_worker):
    assert language_of(social_worker, fallback="de") == "de"
    assert language_of(social_worker, fallback="xx") == "en"
    assert language_of(None) == "en"
    social_worker.language = "lv"
    assert language_of(social_worker, fallback="de") == "lv"


# The password reset e-mail ----------------------------------------------------------------------


def test_the_password_reset_email_is_in_the_saved_language(social_worker):
    user_language_set(user=social_worker, language="lv")
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en")  # someone else's phone, in English

    response = stranger.post(reverse("password_reset"), {"email": social_worker.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert in_language("lv", "To choose a new password, open this link:") in mail.outbox[0].body
    assert html_lang(stranger.get(response["Location"]))[0] == "en"  # the page stays the asker's


def test_without_a_saved_language_the_reset_email_is_in_the_page_language(social_worker):
    Client(HTTP_ACCEPT_LANGUAGE="de").post(reverse("password_reset"), {"email": social_worker.email})

    assert len(mail.outbox) == 1
    assert in_language("de", "To choose a new password, open this link:") in mail.outbox[0].body
