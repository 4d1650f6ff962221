"""Sessions that know their user (sempre.sessions): one query reads a logged-in request's session and
its user, and every check Django makes of a session still holds."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from sempre import sessions
from sempre.models import Session

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def session_of(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def user_of(session_key: str):
    """What the authentication middleware makes of a request carrying this session key."""
    request = RequestFactory().get("/")
    request.session = sessions.SessionStore(session_key)
    return sessions.get_user(request)


def test_login_records_the_user_beside_the_session():
    user = UserFactory()
    assert session_of(logged_in(user)).user_id == user.pk


def test_session_and_user_are_read_in_one_query(django_assert_num_queries):
    user = UserFactory()
    key = logged_in(user).cookies["sessionid"].value
    with django_assert_num_queries(1):
        found = user_of(key)
        assert found == user
        # the whole user, its columns converted as the ORM does (on SQLite, dates come as text)
        assert (found.username, found.date_joined, found.is_active) == (
            user.username,
            user.date_joined,
            True,
        )


def test_a_page_reads_the_session_and_its_user_once(django_assert_num_queries):
    client = logged_in(UserFactory(is_coordinator=True))
    with django_assert_num_queries(3):  # session with its user, count, page
        assert client.get("/api/v1/target-groups/").status_code == 200


def test_changing_the_password_ends_other_sessions():
    user = UserFactory()
    user.set_password("the-old-one-2026")
    user.save()
    elsewhere, here = logged_in(user), Client()
    here.post(reverse("login"), {"username": user.username, "password": "the-old-one-2026"})
    assert session_of(here).user_id == user.pk
    response = here.post(
        reverse("password_change"),
        {
            "old_password": "the-old-one-2026",
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert here.get("/api/v1/target-groups/").status_code == 200  # this session was updated
    assert elsewhere.get("/api/v1/target-groups/").status_code == 403  # Django's hash check ended it


def test_a_deactivated_user_is_logged_out():
    user = UserFactory()
    key = logged_in(user).cookies["sessionid"].value
    user.is_active = False
    user.save()
    assert not user_of(key).is_authenticated


def test_deleting_a_user_deletes_their_sessions():
    user = UserFactory()
    key = logged_in(user).cookies["sessionid"].value
    user.delete()
    assert not Session.objects.filter(session_key=key).exists()


def test_an_expired_session_is_not_read():
    user = UserFactory()
    client = logged_in(user)
    Session.objects.filter(user=user).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not user_of(client.cookies["sessionid"].value).is_authenticated


def test_a_session_without_a_user_keeps_its_data():
    store = sessions.SessionStore()
    store["language"] = "sv"
    store.save()
    assert Session.objects.get(session_key=store.session_key).user_id is None
    loaded = sessions.SessionStore(store.session_key)
    assert loaded["language"] == "sv"
    assert loaded.user_read_with_session(None) is None
    assert not user_of(store.session_key).is_authenticated


def test_the_user_read_with_a_session_serves_only_its_own_id():
    user, other = UserFactory(), UserFactory()
    store = sessions.SessionStore(logged_in(user).cookies["sessionid"].value)
    assert store[SESSION_KEY] == str(user.pk)
    assert store.user_read_with_session(str(user.pk)) == user
    assert store.user_read_with_session(str(other.pk)) is None
    assert store.user_read_with_session("not a number") is None


def test_the_backend_reads_the_user_itself_outside_a_request(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        assert sessions.ModelBackend().get_user(user.pk) == user


def test_the_session_is_known_to_the_backend_only_while_django_looks_up_the_user():
    key = logged_in(UserFactory()).cookies["sessionid"].value
    assert user_of(key).is_authenticated
    assert sessions._session_being_authenticated.get() is None


def test_logging_out_deletes_the_session():
    user = UserFactory()
    client = logged_in(user)
    client.post(reverse("logout"))
    assert not Session.objects.filter(user=user).exists()


def test_expired_sessions_are_cleared_nightly(settings):
    from sempre.tasks import clear_expired_sessions

    user = UserFactory()
    current, expired = logged_in(user), logged_in(user)
    Session.objects.filter(pk=session_of(expired).pk).update(expire_date=timezone.now() - timedelta(days=1))
    assert clear_expired_sessions.apply().get() == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [session_of(current).pk]
    assert settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]["task"] == clear_expired_sessions.name
