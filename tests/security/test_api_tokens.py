"""API tokens that end (issue #19): expiry, revocation on every path, and one's own list."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sempre import audit
from sempre.models import ApiToken, AuditEvent
from sempre.tokens import api_token_issue

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
PROJECTS = "/api/v1/projects/"
TOKENS = "/api/v1/auth/tokens/"


def _works(api_client, key) -> bool:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    try:
        return api_client.get(PROJECTS).status_code == 200
    finally:
        api_client.credentials()


def test_a_token_ends_after_its_lifetime(api_client, social_worker, settings):
    token, key = api_token_issue(user=social_worker)
    assert token.expiry - timezone.now() > timedelta(days=89)
    assert token.expiry - timezone.now() <= timedelta(days=90)
    assert _works(api_client, key)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert not _works(api_client, key)
    assert not ApiToken.objects.filter(pk=token.pk).exists()  # knox deletes it when it is shown


def test_the_lifetime_is_configurable(social_worker, settings):
    settings.REST_KNOX = {"TOKEN_TTL": timedelta(days=7), "AUTH_HEADER_PREFIX": "Token"}
    token, _key = api_token_issue(user=social_worker)
    assert timedelta(days=6) < token.expiry - timezone.now() <= timedelta(days=7)


def test_the_token_answer_says_when_it_ends(api_client, social_worker):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": social_worker.username, "password": PASSWORD, "name": "Nightly sync"},
        format="json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["name"] == "Nightly sync"
    assert body["expiry"]
    assert body["token"].startswith(body["starts_with"])


def test_a_password_reset_revokes_every_token(client, api_client, social_worker):
    _token, key = api_token_issue(user=social_worker)
    client.post("/accounts/password_reset/", {"email": social_worker.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-new-pass-4567", "new_password2": "a-new-pass-4567"}
    )
    assert not ApiToken.objects.filter(user=social_worker).exists()
    assert not _works(api_client, key)
    assert AuditEvent.objects.filter(action=audit.TOKEN_REVOKED, data__reason="password_changed").exists()


def test_a_password_set_anywhere_revokes_the_tokens(api_client, social_worker):
    """The admin and `changepassword` set the password and save: so does this."""
    _token, key = api_token_issue(user=social_worker)
    social_worker.set_password("another-pass-789")
    social_worker.save()
    assert not _works(api_client, key)


def test_a_login_does_not_revoke_the_tokens(client, api_client, social_worker):
    _token, key = api_token_issue(user=social_worker)
    client.post("/accounts/login/", {"username": social_worker.username, "password": PASSWORD})
    social_worker.refresh_from_db()
    social_worker.first_name = "Anna"
    social_worker.save()
    assert _works(api_client, key)


def test_deactivation_revokes_every_token(api_client, social_worker):
    _token, key = api_token_issue(user=social_worker)
    social_worker.is_active = False
    social_worker.save()
    assert not ApiToken.objects.filter(user=social_worker).exists()
    assert not _works(api_client, key)
    assert AuditEvent.objects.filter(action=audit.TOKEN_REVOKED, data__reason="deactivated").exists()


def test_log_out_everywhere_ends_sessions_and_tokens(client, api_client, social_worker):
    _token, key = api_token_issue(user=social_worker)
    other_browser = type(client)()
    other_browser.post("/accounts/login/", {"username": social_worker.username, "password": PASSWORD})
    client.post("/accounts/login/", {"username": social_worker.username, "password": PASSWORD})
    response = client.post("/account/sessions/end-all/")
    assert response.status_code == 302
    assert not _works(api_client, key)
    assert other_browser.get("/").status_code == 302  # logged out: to the login page
    assert client.get("/").status_code == 302


def test_each_person_lists_and_revokes_only_their_own_tokens(as_user, social_worker, other_social_worker):
    mine, _key = api_token_issue(user=social_worker, name="Sync")
    theirs, _key = api_token_issue(user=other_social_worker, name="Theirs")
    client = as_user(social_worker)
    listed = client.get(TOKENS).json()
    assert [row["name"] for row in listed["results"]] == ["Sync"]
    assert "digest" not in listed["results"][0]
    assert client.delete(f"{TOKENS}{theirs.pk}/").status_code == 404
    assert client.patch(f"{TOKENS}{theirs.pk}/", {"name": "x"}, format="json").status_code == 404
    assert client.patch(f"{TOKENS}{mine.pk}/", {"name": "Nightly sync"}, format="json").json()["name"] == (
        "Nightly sync"
    )
    assert client.delete(f"{TOKENS}{mine.pk}/").status_code == 204
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_revoke_all_through_the_api(api_client, social_worker):
    api_token_issue(user=social_worker)
    _token, key = api_token_issue(user=social_worker)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.post(f"{TOKENS}revoke-all/").json() == {"revoked": 2}
    assert not ApiToken.objects.filter(user=social_worker).exists()


def test_the_list_marks_the_token_in_use(api_client, social_worker):
    api_token_issue(user=social_worker, name="Other")
    _current, key = api_token_issue(user=social_worker, name="This one")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    rows = api_client.get(TOKENS).json()["results"]
    assert {row["name"]: row["is_current"] for row in rows} == {"This one": True, "Other": False}


@pytest.mark.parametrize("count", [1, 3])
def test_the_token_list_runs_a_fixed_number_of_queries(
    as_user, social_worker, count, django_assert_num_queries
):
    for number in range(count):
        api_token_issue(user=social_worker, name=f"Token {number}")
    client = as_user(social_worker)
    # the user (the session is in the cache), count, page
    with django_assert_num_queries(3):
        assert len(client.get(TOKENS).json()["results"]) == count


def test_the_account_page_issues_a_named_token_shown_once(client, api_client, social_worker):
    client.force_login(social_worker)
    page = client.post("/account/api-token/", {"name": "Spreadsheet macro"})
    token = ApiToken.objects.get(user=social_worker)
    assert token.name == "Spreadsheet macro"
    key = page.context["new_token"]["key"]
    assert key in page.content.decode()
    assert _works(api_client, key)
    assert key not in client.get("/account/api-token/").content.decode()


def test_the_account_page_names_a_too_long_name(client, social_worker):
    client.force_login(social_worker)
    page = client.post("/account/api-token/", {"name": "x" * 101})
    assert page.status_code == 400
    assert "at most 100 characters" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_tokens_from_before_keep_working_once_migrated(social_worker, api_client):
    """The migration's rule: a DRF token's key, hashed as knox hashes, with its first 15 characters."""
    import hashlib

    old_key = "0123456789abcdef0123456789abcdef01234567"
    ApiToken(
        digest=hashlib.sha512(old_key.encode()).hexdigest(),
        token_key=old_key[:15],
        user=social_worker,
        expiry=timezone.now() + timedelta(days=90),
    ).save()
    assert _works(api_client, old_key)


def test_no_migration_is_missing():
    call_command("makemigrations", "sempre", "--check", "--dry-run", verbosity=0)
