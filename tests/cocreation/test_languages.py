"""Which language a client page opens in (#17 §2): the client's own choice on the page, then the
language the invite's creator chose, then the device's (Accept-Language), then the invite's
organisation's country's, then English; only the platform's languages."""

import pytest
from django.test import Client
from django.urls import reverse

from toolkit.cocreation.languages import COOKIE_NAME, country_language

from .factories import invite_with_token

pytestmark = pytest.mark.django_db


def opened_in(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def start(token, *, accept="", query="", client=None):
    client = client or Client()
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    return client.get(reverse("contribute:start", args=[token]) + query, **headers)


def test_without_a_chosen_language_the_page_opens_in_the_devices_language(tool):
    _invite, token = invite_with_token(tool=tool, language="")
    response = start(token, accept="ar-SY,ar;q=0.9,en;q=0.5")
    assert opened_in(response) == "ar"
    assert '<html lang="ar" dir="rtl"' in response.content.decode()
    assert response.headers["Content-Language"] == "ar"


def test_the_devices_languages_are_tried_by_their_weight(tool):
    _invite, token = invite_with_token(tool=tool, language="")
    assert opened_in(start(token, accept="fr;q=1.0, de;q=0.4, uk;q=0.8")) == "uk"


def test_a_device_language_the_platform_lacks_falls_back_to_the_organisations_country(tool):
    # the organisation is in Sweden (tests/conftest.py)
    _invite, token = invite_with_token(tool=tool, language="")
    assert opened_in(start(token, accept="fr-FR,fr;q=0.9,*;q=0.1")) == "sv"
    assert opened_in(start(token)) == "sv"  # no Accept-Language at all


def test_a_country_without_one_of_the_platforms_languages_falls_back_to_english(tool):
    tool.project.organisation.country = "NO"
    tool.project.organisation.save()
    _invite, token = invite_with_token(tool=tool, language="")
    assert opened_in(start(token, accept="nb-NO,nb;q=0.9")) == "en"


def test_a_language_the_creator_chose_wins_over_the_device(tool):
    _invite, token = invite_with_token(tool=tool, language="lv")
    assert opened_in(start(token, accept="ar")) == "lv"


def test_the_clients_choice_on_the_page_wins_over_both(tool):
    _invite, token = invite_with_token(tool=tool, language="lv")
    client = Client()
    assert opened_in(start(token, accept="ar", query="?lang=uk", client=client)) == "uk"
    assert client.cookies[COOKIE_NAME].value == "uk"
    # and it stays chosen on the next page, whatever the device and the invite say
    question = client.get(reverse("contribute:question", args=[token, 1]), HTTP_ACCEPT_LANGUAGE="ar")
    assert opened_in(question) == "uk"


def test_the_staff_language_cookie_does_not_choose_a_client_page(tool):
    _invite, token = invite_with_token(tool=tool, language="")
    client = Client()
    client.cookies["django_language"] = "de"
    assert opened_in(start(token, accept="ar", client=client)) == "ar"


def test_country_language_knows_only_the_platforms_languages():
    assert country_language("EE") == "et"
    assert country_language("ua") == "uk"
    assert country_language("FR") is None  # French is not one of the platform's languages
    assert country_language("") is None
