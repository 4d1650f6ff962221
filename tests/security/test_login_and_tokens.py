"""Login throttling (django-axes), the audit of logins, and revocable API tokens."""

import pytest
from django.test import override_settings

from sempre import audit
from sempre.models import ApiToken, AuditEvent
from sempre.tokens import api_token_issue

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _fail(client, username):
    return client.post(LOGIN, {"username": username, "password": "wrong-password"}, REMOTE_ADDR="10.0.0.7")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_user_name_with_a_friendly_page(client, social_worker):
    for _ in range(2):
        assert _fail(client, social_worker.username).status_code == 200  # the form, with its error
    locked = _fail(client, social_worker.username)
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # even the right password is refused while locked
    right = client.post(
        LOGIN, {"username": social_worker.username, "password": "secret-pass-123"}, REMOTE_ADDR="10.0.0.7"
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_lock_is_per_user_name_and_address(client, social_worker, org_admin):
    for _ in range(3):
        _fail(client, social_worker.username)
    response = client.post(
        LOGIN, {"username": org_admin.username, "password": "secret-pass-123"}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 302


def test_logins_and_failures_are_audited(client, social_worker):
    _fail(client, social_worker.username)
    client.post(
        LOGIN, {"username": social_worker.username, "password": "secret-pass-123"}, REMOTE_ADDR="10.0.0.8"
    )
    failed = AuditEvent.objects.get(action=audit.LOGIN_FAILED)
    assert failed.actor is None
    assert failed.actor_label == social_worker.username
    assert failed.ip_address == "10.0.0.7"
    assert "wrong-password" not in str(failed.data)
    login = AuditEvent.objects.get(action=audit.LOGIN)
    assert login.actor == social_worker
    assert login.ip_address == "10.0.0.8"


def test_api_token_can_be_revoked_with_delete(api_client, social_worker):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": social_worker.username, "password": "secret-pass-123"},
        format="json",
    )
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/projects/").status_code == 200
    assert api_client.delete("/api/v1/auth/token/").status_code == 204
    assert not ApiToken.objects.filter(user=social_worker).exists()
    # 403, not 401: session authentication comes first and sends no WWW-Authenticate challenge
    assert api_client.get("/api/v1/projects/").status_code in (401, 403)
    assert AuditEvent.objects.filter(action=audit.TOKEN_REVOKED, actor=social_worker).count() == 1
    assert AuditEvent.objects.filter(action=audit.TOKEN_ISSUED, actor=social_worker).count() == 1


def test_asking_for_a_token_ignores_a_stale_token_header(api_client, social_worker):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": social_worker.username, "password": "secret-pass-123"},
        format="json",
    )
    assert response.status_code == 200


def test_revoking_needs_the_token(api_client):
    assert api_client.delete("/api/v1/auth/token/").status_code == 401


def test_token_page_revokes_ones_own_token(client, social_worker, other_social_worker):
    mine, _key = api_token_issue(user=social_worker, name="Nightly sync")
    theirs, _key = api_token_issue(user=other_social_worker)
    client.force_login(social_worker)
    page = client.get("/account/api-token/")
    assert "Nightly sync" in page.content.decode()
    response = client.post(f"/account/api-token/{mine.pk}/revoke/", follow=True)
    assert "was revoked" in response.content.decode()
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    # another person's token: 404, and it stays
    assert client.post(f"/account/api-token/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy configured: the header is the client's word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged entry left of the proxy's is ignored
        (2, "203.0.113.9, 198.51.100.7", "203.0.113.9"),
        (2, "198.51.100.7", "10.0.0.1"),  # fewer entries than proxies: fall back
    ],
)
def test_client_address_behind_proxies(settings, rf, proxies, forwarded, expected):
    from axes.helpers import get_client_ip_address

    settings.SEMPRE_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert audit.client_ip(request) == expected
    assert get_client_ip_address(request) == expected
