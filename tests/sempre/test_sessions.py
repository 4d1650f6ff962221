"""Django's sessions, and what people need of them: a password change ends one's other sessions, a
deactivated or deleted person is logged out, one sees and ends one's own sessions
(/account/sessions/, sempre.user_sessions), and expired sessions are cleared nightly."""

import runpy
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sempre.models import UserSession
from sempre.tasks import clear_expired_sessions

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # UserFactory's
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
PHONE = "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/140.0 Mobile Safari/537.36"


DATABASE = "django.contrib.sessions.backends.db"  # without Redis
CACHED = "sempre.session_engine"  # Django's cached_db, on Redis


@pytest.fixture(params=[DATABASE, CACHED], ids=["database", "cached"], autouse=True)
def session_engine(request, settings):
    """Every test here runs with both engines the settings choose from."""
    settings.SESSION_ENGINE = request.param
    return request.param


def logged_in(user, user_agent: str = FIREFOX) -> Client:
    """A browser that logged in through the login page."""
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the login failed"
    return client


def key_of(client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def is_logged_in(client) -> bool:
    return client.get(reverse("api-token")).status_code == 200  # else: a redirect to the login page


def sessions_page(client):
    return client.get(reverse("account-sessions"))


# Django's engine and backend ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [
        ("", "django.contrib.sessions.backends.db"),
        ("redis://127.0.0.1:6379/0", "sempre.session_engine"),
    ],
)
def test_the_session_engine_is_djangos_cached_on_redis_only(monkeypatch, redis_url, engine):
    monkeypatch.setenv("REDIS_URL", redis_url)
    configured = runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings.py"))
    assert configured["SESSION_ENGINE"] == engine
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" in configured["MIDDLEWARE"]
    assert configured["AUTHENTICATION_BACKENDS"][-1] == "django.contrib.auth.backends.ModelBackend"


def test_a_page_reads_the_session_and_its_user_once(django_assert_num_queries, session_engine):
    client = logged_in(UserFactory(is_coordinator=True))
    # (session,) user, count, page: on Redis the session comes from the cache
    with django_assert_num_queries(4 if session_engine == DATABASE else 3):
        assert client.get("/api/v1/target-groups/").status_code == 200


def test_changing_the_password_ends_other_sessions():
    user = UserFactory()
    elsewhere, here = logged_in(user, PHONE), logged_in(user)
    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert is_logged_in(here)  # Django gave this session the new hash
    old_key = key_of(elsewhere)
    assert not is_logged_in(elsewhere)  # the old hash no longer matches
    assert not Session.objects.filter(session_key=old_key).exists()  # and Django flushed it


def test_a_deactivated_person_is_logged_out():
    user = UserFactory()
    client = logged_in(user)
    user.is_active = False
    user.save()
    assert not is_logged_in(client)


def test_deleting_a_person_ends_their_sessions():
    user, other = UserFactory(), UserFactory()
    keys = [key_of(logged_in(user)), key_of(logged_in(user, PHONE))]
    others = logged_in(other)
    user.delete()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(session_key__in=keys).exists()
    assert is_logged_in(others)


# Records of one's sessions -----------------------------------------------------------------------


def test_logging_in_records_the_session_and_its_browser():
    user = UserFactory()
    client = logged_in(user)
    record = UserSession.objects.get(session_key=key_of(client))
    assert (record.user, record.user_agent) == (user, FIREFOX)


def test_logging_out_deletes_the_session_and_its_record():
    user = UserFactory()
    client = logged_in(user)
    key = key_of(client)
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()


# The page of one's sessions ----------------------------------------------------------------------


def test_the_sessions_page_lists_ones_open_sessions():
    user = UserFactory()
    here, phone, expired = logged_in(user), logged_in(user, PHONE), logged_in(user, "Expired/1.0")
    logged_in(UserFactory(), "Someone else's/1.0")
    Session.objects.filter(session_key=key_of(expired)).update(expire_date=timezone.now() - timedelta(1))
    response = sessions_page(here)
    assert [record.session_key for record in response.context["user_sessions"]] == [
        key_of(phone),
        key_of(here),
    ]
    content = response.content.decode()
    assert "This browser" in content
    assert PHONE[:60] in content
    assert "Expired/1.0" not in content
    assert "Someone else" not in content


def test_the_sessions_page_leaves_out_sessions_from_before_a_password_change():
    user = UserFactory()
    old, here = logged_in(user, PHONE), logged_in(user)
    user.set_password("a-new-long-passphrase-2026")
    user.save()
    here.force_login(user)  # as if logged in again with the new password
    keys = [record.session_key for record in sessions_page(here).context["user_sessions"]]
    assert keys == [key_of(here)]
    assert Session.objects.filter(session_key=key_of(old)).exists()  # still stored, but shown no more


def test_the_sessions_page_shows_the_session_after_ones_own_password_change():
    user = UserFactory()
    here = logged_in(user)
    here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    sessions = sessions_page(here).context["user_sessions"]
    assert [record.session_key for record in sessions] == [key_of(here)]  # its new key


@pytest.mark.parametrize("session_count", [1, 3])
def test_the_sessions_page_runs_a_fixed_number_of_queries(
    django_assert_num_queries, session_count, session_engine
):
    user = UserFactory()
    clients = [logged_in(user, f"Browser/{n}") for n in range(session_count)]
    # (session,) user, the session's record (savepoint, select, update, release), the list, and the
    # menu's memberships; on Redis the session comes from the cache
    with django_assert_num_queries(8 if session_engine == DATABASE else 7):
        response = sessions_page(clients[0])
    assert len(response.context["user_sessions"]) == session_count


def test_the_sessions_page_needs_a_login():
    response = sessions_page(Client())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_ending_a_session_logs_that_browser_out():
    user = UserFactory()
    here, phone = logged_in(user), logged_in(user, PHONE)
    record = UserSession.objects.get(session_key=key_of(phone))
    response = here.post(reverse("account-session-end", args=[record.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account-sessions")
    assert "The session was ended" in response.content.decode()
    assert not Session.objects.filter(session_key=key_of(phone)).exists()
    assert not UserSession.objects.filter(pk=record.pk).exists()
    assert not is_logged_in(phone)
    assert is_logged_in(here)


def test_ending_a_session_through_the_cache_logs_that_browser_out(settings):
    settings.SESSION_ENGINE = CACHED
    user = UserFactory()
    here, phone = logged_in(user), logged_in(user, PHONE)
    assert is_logged_in(phone)  # read once, so the cache holds it
    record = UserSession.objects.get(session_key=key_of(phone))
    here.post(reverse("account-session-end", args=[record.pk]))
    cached = import_module(settings.SESSION_ENGINE).SessionStore
    assert not cached().exists(key_of(phone))
    assert not is_logged_in(phone)


def test_ending_the_session_in_use_logs_out():
    user = UserFactory()
    here = logged_in(user)
    record = UserSession.objects.get(session_key=key_of(here))
    response = here.post(reverse("account-session-end", args=[record.pk]))
    assert response.url == reverse("login")
    assert not is_logged_in(here)
    assert not UserSession.objects.filter(pk=record.pk).exists()


def test_nobody_ends_another_persons_session():
    owner, intruder = UserFactory(), UserFactory()
    owners = logged_in(owner)
    record = UserSession.objects.get(session_key=key_of(owners))
    response = logged_in(intruder).post(reverse("account-session-end", args=[record.pk]))
    assert response.status_code == 404
    assert UserSession.objects.filter(pk=record.pk).exists()
    assert is_logged_in(owners)


def test_a_session_is_ended_by_post_only():
    user = UserFactory()
    here = logged_in(user)
    record = UserSession.objects.get(session_key=key_of(here))
    assert here.get(reverse("account-session-end", args=[record.pk])).status_code == 405
    assert is_logged_in(here)


# Nightly -----------------------------------------------------------------------------------------


def test_expired_sessions_are_cleared_nightly(settings):
    user = UserFactory()
    current, expired, gone = logged_in(user), logged_in(user, PHONE), logged_in(user, "Gone/1.0")
    Session.objects.filter(session_key=key_of(expired)).update(expire_date=timezone.now() - timedelta(1))
    Session.objects.filter(session_key=key_of(gone)).delete()  # e.g. flushed after a password change
    assert clear_expired_sessions.apply().result == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == [key_of(current)]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [key_of(current)]
    assert settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]["task"] == clear_expired_sessions.name


def test_logging_in_and_out_work_while_the_cache_is_down(settings):
    """cached_db asks the cache whether a new key is taken and deletes from it: with Redis down
    both fall back to the database (sempre.session_engine) instead of answering 500."""
    settings.SESSION_ENGINE = CACHED
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    client = logged_in(UserFactory())
    assert is_logged_in(client)

    assert client.post(reverse("logout")).status_code == 302
    assert not is_logged_in(client)
