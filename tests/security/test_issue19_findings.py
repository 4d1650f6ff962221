"""The findings of issue #19, each reproduced as an outside client or attacker met it.

Each test failed before its fix (noted beside it) and passes after. The fuller tests of each part
are in test_api_tokens.py, test_api_input.py, test_file_serving.py and test_throttles.py."""

import importlib

import pytest
from django.core import mail
from django.urls import Resolver404, resolve

from reports.models import ReportJob

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "secret-pass-123"


def _token_for(api_client, user):
    response = api_client.post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_finding_1_a_password_change_ends_the_api_tokens(client, api_client, social_worker):
    """Before: the token still answered 200 after /accounts/password_change/."""
    token = _token_for(api_client, social_worker)
    client.force_login(social_worker)
    changed = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "a-new-pass-4567", "new_password2": "a-new-pass-4567"},
    )
    assert changed.status_code == 302
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # 403, not 401: session authentication comes first and sends no WWW-Authenticate challenge
    assert api_client.get("/api/v1/projects/").status_code in (401, 403)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [500, 1000, 5000])
def test_finding_2_deeply_nested_json_is_a_400_not_a_500(client, depth):
    """Before: RecursionError (500) without logging in."""
    body = '{"username": ' + _nested(depth) + ', "password": "x"}'
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "nest" in response.json()["detail"]


def test_finding_3_media_are_not_served_when_debug_is_on(settings):
    """Before: anonymous GET /media/reports/… answered 200 under `make run` (DEBUG on)."""
    import config.urls

    settings.DEBUG = True
    try:
        urls = importlib.reload(config.urls)
        with pytest.raises(Resolver404):
            resolve(settings.MEDIA_URL + "reports/2026/sempre-project-1.pdf", urlconf=urls)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)


def test_finding_5_password_reset_mails_to_one_address_are_limited(client, social_worker):
    """Before: 15 e-mails to one address in 0.3 s."""
    answers = [
        client.post("/accounts/password_reset/", {"email": social_worker.email}).status_code
        for _ in range(15)
    ]
    assert len(mail.outbox) <= 3
    assert 429 in answers


def test_finding_5_token_endpoint_answers_a_lockout_with_429(api_client, social_worker, settings):
    """Before: 400, as for a wrong password."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        api_client.post(TOKEN_URL, {"username": social_worker.username, "password": "wrong"}, format="json")
    response = api_client.post(
        TOKEN_URL, {"username": social_worker.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_finding_5_oversize_api_body_answers_json(client, settings, social_worker):
    """Before: an HTML error page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(social_worker)
    response = client.post("/api/v1/projects/", {"title": "x" * 5000}, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "bytes" in response.json()["detail"]


def test_finding_5_a_boolean_is_not_a_project_id(as_user, social_worker, organisation):
    """Before: {"project": true} was read as project 1."""
    from tests.factories import MicroProjectFactory

    MicroProjectFactory(organisation=organisation, pk=1)
    response = as_user(social_worker).post(
        "/api/v1/reports/", {"kind": "project", "params": {"project": True}}, format="json"
    )
    assert response.status_code == 400
    assert "params.project" in response.json()
    assert not ReportJob.objects.exists()


def test_finding_5_page_size_must_be_a_number(as_user, social_worker):
    """Before: ?page_size=true was accepted (and ignored)."""
    response = as_user(social_worker).get("/api/v1/projects/?page_size=true")
    assert response.status_code == 400
    assert "page_size" in response.json()
