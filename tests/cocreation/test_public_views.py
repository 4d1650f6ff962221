"""The client pages: no account, token lifecycle, consent, receipt, rate limits, languages."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from toolkit.cocreation.languages import COOKIE_NAME
from toolkit.cocreation.models import Contribution

from .factories import invite_with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


def csrf_post(client, url, data):
    """POST as a browser does: fetch the page first for the CSRF cookie, then send the token."""
    page = client.get(url)
    token = page.cookies.get("csrftoken") or client.cookies["csrftoken"]
    return client.post(url, {**data, "csrfmiddlewaretoken": token.value})


def answer(client, token, step=1, **data):
    values = {"text": "A place to meet in the evening", "consent": "on"}
    values.update(data)
    return csrf_post(client, reverse("contribute:question", args=[token, step]), values)


def receipt_code_from(response):
    return re.search(r'class="receipt-code"[^>]*>([A-Z0-9-]+)<', response.content.decode()).group(1)


def test_start_page_needs_no_account(client, invite_token):
    invite, token = invite_token
    response = client.get(reverse("contribute:start", args=[token]))
    assert response.status_code == 200
    assert invite.label in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]


def test_question_page_shows_the_plain_language_question(client, invite_token):
    _invite, token = invite_token
    response = client.get(reverse("contribute:question", args=[token, 1]))
    assert response.status_code == 200
    assert "Who do we need to make it happen?" not in response.content.decode()  # not the guiding text
    assert "What do we need to make it happen?" in response.content.decode()  # sbmc key_resources, plain


def test_unknown_token_answers_404(client, invite_token):
    response = client.get(reverse("contribute:start", args=["no-such-token-at-all"]))
    assert response.status_code == 404


def test_expired_invite_answers_410_with_what_to_do(client, tool):
    _invite, token = invite_with_token(tool=tool, expires_at=timezone.now() - timedelta(hours=1))
    response = client.get(reverse("contribute:start", args=[token]))
    assert response.status_code == 410
    assert "ask the person who gave you the link" in response.content.decode()


def test_revoked_invite_answers_410(client, tool):
    _invite, token = invite_with_token(tool=tool, revoked_at=timezone.now())
    assert client.get(reverse("contribute:question", args=[token, 1])).status_code == 410


def test_capped_invite_answers_410_once_full(client, tool):
    _invite, token = invite_with_token(tool=tool, max_contributions=1)
    assert answer(client, token).status_code == 302
    assert client.get(reverse("contribute:start", args=[token])).status_code == 410


def test_submit_without_consent_shows_the_error_and_stores_nothing(client, invite_token):
    _invite, token = invite_token
    response = answer(client, token, consent="")
    assert response.status_code == 400
    assert "Please tick the box" in response.content.decode()
    assert not Contribution.objects.exists()


def test_submit_without_csrf_token_is_refused(client, invite_token):
    _invite, token = invite_token
    response = client.post(
        reverse("contribute:question", args=[token, 1]), {"text": "Hello", "consent": "on"}
    )
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_submit_shows_a_receipt_code_on_the_thank_you_page(client, invite_token):
    _invite, token = invite_token
    response = answer(client, token, text="<b>Evening</b> café", pseudonym="Sunflower")
    assert response.status_code == 302
    thanks = client.get(response.url)
    assert thanks.status_code == 200
    code = receipt_code_from(thanks)
    contribution = Contribution.objects.get()
    assert contribution.text == "Evening café"
    assert contribution.pseudonym == "Sunflower"
    assert contribution.status == Contribution.Status.PENDING
    assert len(code.replace("-", "")) == 12


def test_receipt_page_shows_and_withdraws_with_the_code(client, invite_token):
    _invite, token = invite_token
    thanks = client.get(answer(client, token).url)
    code = receipt_code_from(thanks)
    other_device = Client(enforce_csrf_checks=True)
    shown = csrf_post(other_device, reverse("contribute:receipt"), {"code": code.lower()})
    assert shown.status_code == 200
    assert "A place to meet in the evening" in shown.content.decode()
    contribution = Contribution.objects.get()
    withdrawn = csrf_post(
        other_device, reverse("contribute:receipt"), {"code": code}
    )  # refresh the CSRF cookie
    token_value = other_device.cookies["csrftoken"].value
    withdrawn = other_device.post(
        reverse("contribute:withdraw"),
        {"code": code, "contribution": contribution.pk, "csrfmiddlewaretoken": token_value},
    )
    assert withdrawn.status_code == 200
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.WITHDRAWN


def test_withdraw_with_a_wrong_code_answers_404(client, invite_token):
    _invite, token = invite_token
    answer(client, token)
    contribution = Contribution.objects.get()
    page = client.get(reverse("contribute:receipt"))
    response = client.post(
        reverse("contribute:withdraw"),
        {
            "code": "ZZZZ-ZZZZ-ZZZZ",
            "contribution": contribution.pk,
            "csrfmiddlewaretoken": page.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 404
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING


def test_unknown_receipt_code_says_so(client):
    response = csrf_post(client, reverse("contribute:receipt"), {"code": "ABCD-EFGH-JKMN"})
    assert response.status_code == 400
    assert "We found nothing for this code" in response.content.decode()


def test_rate_limit_per_address_answers_429_kindly(client, invite_token, settings):
    settings.COCREATION_RATE_LIMITS = {"address": 3, "invite": 100, "lookup": 100}
    _invite, token = invite_token
    for _ in range(3):
        assert answer(client, token).status_code == 302
    response = answer(client, token, text="My words are not lost")
    assert response.status_code == 429
    assert "please wait a while" in response.content.decode()
    assert "My words are not lost" in response.content.decode()
    assert Contribution.objects.count() == 3


def test_rate_limit_per_invite_counts_every_address(invite_token, settings):
    settings.COCREATION_RATE_LIMITS = {"address": 100, "invite": 2, "lookup": 100}
    _invite, token = invite_token
    for number in range(2):
        assert answer(Client(REMOTE_ADDR=f"10.0.0.{number}"), token).status_code == 302
    assert answer(Client(REMOTE_ADDR="10.0.0.99"), token).status_code == 429
    assert Contribution.objects.count() == 2


def test_guessing_tokens_is_rate_limited(client, invite_token, settings):
    settings.COCREATION_RATE_LIMITS = {"address": 100, "invite": 100, "lookup": 3}
    _invite, token = invite_token
    for number in range(3):
        assert client.get(reverse("contribute:start", args=[f"guess-{number}"])).status_code == 404
    # From now on even the right token answers 429 from this address: guessing cannot go on.
    assert client.get(reverse("contribute:start", args=[token])).status_code == 429


def test_language_from_query_sets_a_client_cookie(client, invite_token):
    _invite, token = invite_token
    response = client.get(reverse("contribute:start", args=[token]) + "?lang=de")
    assert response.status_code == 200
    assert response.cookies[COOKIE_NAME].value == "de"
    assert response.cookies[COOKIE_NAME]["path"] == "/c/"
    assert 'lang="de"' in response.content.decode()
    follow_up = client.get(reverse("contribute:question", args=[token, 1]))
    assert 'lang="de"' in follow_up.content.decode()
    assert "Deine Antwort" in follow_up.content.decode() or "Ihre Antwort" in follow_up.content.decode()


def test_invite_language_is_the_default(client, tool):
    _invite, token = invite_with_token(tool=tool, language="sv")
    response = client.get(reverse("contribute:start", args=[token]))
    assert 'lang="sv"' in response.content.decode()


def test_client_language_does_not_change_the_staff_language(client, invite_token):
    _invite, token = invite_token
    client.get(reverse("contribute:start", args=[token]) + "?lang=ar")
    assert client.cookies.get("django_language") is None


def test_arabic_page_is_right_to_left(client, invite_token):
    _invite, token = invite_token
    response = client.get(reverse("contribute:question", args=[token, 1]) + "?lang=ar")
    html = response.content.decode()
    assert re.search(r'<html lang="ar" dir="rtl"', html)


def test_english_page_is_left_to_right(client, invite_token):
    _invite, token = invite_token
    response = client.get(reverse("contribute:start", args=[token]) + "?lang=en")
    assert '<html lang="en" dir="ltr"' in response.content.decode()


def test_question_page_labels_every_field(client, invite_token):
    _invite, token = invite_token
    html = client.get(reverse("contribute:question", args=[token, 1])).content.decode()
    for field_id in ("id_text", "id_pseudonym", "id_consent"):
        assert f'id="{field_id}"' in html
    assert 'for="id_text"' in html
    assert 'for="id_pseudonym"' in html
    assert "<main" in html
    assert "<h1" in html


def test_step_out_of_range_answers_404(client, invite_token):
    _invite, token = invite_token
    assert client.get(reverse("contribute:question", args=[token, 99])).status_code == 404


def test_organisation_name_is_isolated_and_escaped(client, tool):
    tool.project.organisation.name = "Kuldīga <Social> Service"
    tool.project.organisation.save()
    _invite, token = invite_with_token(tool=tool)
    html = client.get(reverse("contribute:question", args=[token, 1]) + "?lang=ar").content.decode()
    assert "<bdi>Kuldīga &lt;Social&gt; Service</bdi>" in html


def test_thank_you_page_still_shows_after_the_last_place_is_taken(client, tool):
    _invite, token = invite_with_token(tool=tool, max_contributions=1)
    response = answer(client, token)
    thanks = client.get(response.url)
    assert thanks.status_code == 200
    assert receipt_code_from(thanks)
    assert "Next question" not in thanks.content.decode()


def test_unknown_language_falls_back_to_the_invite_language(client, tool):
    _invite, token = invite_with_token(tool=tool, language="pl")
    response = client.get(reverse("contribute:start", args=[token]) + "?lang=xx")
    assert '<html lang="pl"' in response.content.decode()
    assert COOKIE_NAME not in response.cookies


def test_next_question_follows_a_sent_answer(client, invite_token):
    _invite, token = invite_token
    thanks = client.get(answer(client, token, step=2).url)
    assert reverse("contribute:question", args=[token, 3]) in thanks.content.decode()


def test_a_failed_csrf_check_on_a_client_page_says_what_to_do_in_the_clients_language(client, invite_token):
    _invite, token = invite_token
    url = reverse("contribute:question", args=[token, 1])
    client.cookies[COOKIE_NAME] = "de"
    response = client.post(url, {"text": "Ein Treffpunkt", "consent": "on"})  # no CSRF token
    assert response.status_code == 403
    assert response.headers["Content-Language"] == "de"
    html = response.content.decode()
    assert "Bitte senden Sie Ihre Antwort noch einmal" in html
    assert f'href="{url}"' in html
    assert "CSRF" not in html
    assert not Contribution.objects.exists()


def test_a_failed_csrf_check_in_arabic_is_right_to_left(client, invite_token):
    _invite, token = invite_token
    response = client.post(reverse("contribute:question", args=[token, 1]) + "?lang=ar", {"text": "x"})
    assert response.status_code == 403
    assert 'dir="rtl"' in response.content.decode()


def test_a_failed_csrf_check_on_a_staff_page_is_djangos(social_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    response = client.post(reverse("microprojects:create"), {"title": "x"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


# Consent once per visit, and a missing consent takes the focus (#16) ------------------------------


def test_consent_is_ticked_once_per_visit(client, tool):
    _invite, token = invite_with_token(tool=tool)
    first = answer(client, token, step=1)
    assert first.status_code == 302
    page = client.get(reverse("contribute:question", args=[token, 2])).content.decode()
    assert 'name="consent"' not in page  # no box to tick again
    assert "You agreed to how we keep your answers" in page
    second = answer(client, token, step=2, consent="")
    assert second.status_code == 302
    one, two = Contribution.objects.order_by("created_at", "id")
    assert two.consent_at == one.consent_at  # the consent given at the first answer
    assert two.consent_version == one.consent_version


def test_the_consent_cookie_ends_with_the_browser_session(client, invite_token):
    _invite, token = invite_token
    response = answer(client, token)
    cookie = response.cookies["sempre_client_consent"]
    assert cookie["path"] == "/c/"
    assert cookie["httponly"]
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_another_browser_is_asked_for_consent_again(client, invite_token):
    _invite, token = invite_token
    answer(client, token)
    other = Client(enforce_csrf_checks=True)
    response = answer(other, token, consent="")
    assert response.status_code == 400
    assert Contribution.objects.count() == 1


def test_a_forged_consent_cookie_is_not_consent(client, invite_token):
    _invite, token = invite_token
    client.cookies["sempre_client_consent"] = "2026-11-v1|2026-01-01T00:00:00+00:00"
    response = answer(client, token, consent="")
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_consent_to_an_older_notice_is_asked_again(client, invite_token, monkeypatch):
    _invite, token = invite_token
    answer(client, token)
    monkeypatch.setattr("toolkit.cocreation.public_views.CONSENT_NOTICE_VERSION", "2099-01-v9")
    monkeypatch.setattr("toolkit.cocreation.services.CONSENT_NOTICE_VERSION", "2099-01-v9")
    response = answer(client, token, step=2, consent="")
    assert response.status_code == 400
    assert Contribution.objects.count() == 1


def test_a_missing_consent_takes_the_focus(client, invite_token):
    _invite, token = invite_token
    response = answer(client, token, consent="")
    html = response.content.decode()
    error = re.search(r'<div class="client-error"[^>]*id="consent-errors"[^>]*>', html).group(0)
    assert "autofocus" in error
    assert 'tabindex="-1"' in error
    assert html.count("autofocus") == 1


def test_with_several_errors_the_first_one_on_the_page_takes_the_focus(client, invite_token):
    _invite, token = invite_token
    html = answer(client, token, text="", consent="").content.decode()
    assert re.search(r'id="text-errors" tabindex="-1" autofocus', html)
    assert "consent-errors" in html  # both errors at once
    assert html.count("autofocus") == 1
