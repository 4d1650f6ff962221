"""One's own sessions: which browsers one is logged in to, and ending one of them.

Django's session engine (settings.SESSION_ENGINE: `db`, or `cached_db` on Redis) keeps the sessions
and checks them on every request: the password hash kept in a session ends it once the password
changes, and ModelBackend refuses a deactivated person. Django cannot list a person's sessions, so
`UserSession` records each one the person logs in to (user_logged_in) and forgets it when they log
out (user_logged_out); `user_sessions_of` shows only those whose Django session is still there,
unexpired and logged in with the current password. Deleting a person ends their sessions (pre_delete
on the user model: every way of deleting a person goes through it, the admin's included).
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.signals import pre_delete
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .models import UserSession

USER_AGENT_LENGTH = UserSession._meta.get_field("user_agent").max_length


def _session_store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _stored_sessions():
    """Django's session table: both engines in use (`db`, `cached_db`) keep every session there."""
    return _session_store_class().get_model_class().objects


# Selectors ---------------------------------------------------------------------------------------


def user_sessions_visible_to(user):
    """The records of one's own sessions; nobody sees another person's."""
    return UserSession.objects.filter(user=user)


def user_sessions_of(user) -> list[UserSession]:
    """The person's open sessions, newest first, each with its `expire_date`: one query.

    Open means Django would still let the session in: it exists, has not expired and carries the
    person's current password hash (a session from before a password change is ended by Django at
    its next request; until then it is not shown)."""
    stored = _stored_sessions().filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
    records = (
        user_sessions_visible_to(user)
        .annotate(
            expire_date=Subquery(stored.values("expire_date")),
            session_data=Subquery(stored.values("session_data")),
        )
        .filter(expire_date__isnull=False)
    )
    store = _session_store_class()()
    return [record for record in records if _is_logged_in_as(store.decode(record.session_data), user)]


def _is_logged_in_as(session: dict, user) -> bool:
    """As django.contrib.auth.get_user decides it: the session names the user and its hash matches
    the user's password hash (made with the current secret key or a fallback one)."""
    if session.get(SESSION_KEY) != user._meta.pk.value_to_string(user):
        return False
    session_hash = session.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return bool(session_hash) and any(constant_time_compare(session_hash, known) for known in hashes)


# Services ----------------------------------------------------------------------------------------


def user_session_record(*, user, session_key: str, user_agent: str = "") -> UserSession:
    """Record that `user` is logged in to the session `session_key`; again: its browser is updated."""
    record, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "user_agent": user_agent[:USER_AGENT_LENGTH]},
    )
    return record


def user_session_end(*, record: UserSession) -> None:
    """End a session: Django's session store deletes it (from the cache too), then its record goes."""
    _session_store_class()().delete(record.session_key)
    record.delete()


def user_sessions_end_all(*, user) -> None:
    for record in UserSession.objects.filter(user=user):
        user_session_end(record=record)


def user_sessions_clear_expired() -> int:
    """Django's clear_expired() for the session engine, then the records of sessions that are gone
    (expired, logged out elsewhere, or replaced by a new key). Returns how many records went."""
    _session_store_class().clear_expired()
    gone = ~Exists(_stored_sessions().filter(session_key=OuterRef("session_key")))
    deleted, _by_model = UserSession.objects.filter(gone).delete()
    return deleted


# Django's signals --------------------------------------------------------------------------------


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "") if request is not None else ""


def _on_login(sender, request, user, **kwargs):
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        user_session_record(user=user, session_key=session_key, user_agent=_user_agent(request))


def _on_logout(sender, request, user, **kwargs):
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def _on_user_delete(sender, instance, **kwargs):
    user_sessions_end_all(user=instance)


def connect_signals():
    user_logged_in.connect(_on_login, dispatch_uid="sempre.user_sessions.login")
    user_logged_out.connect(_on_logout, dispatch_uid="sempre.user_sessions.logout")
    pre_delete.connect(_on_user_delete, sender=get_user_model(), dispatch_uid="sempre.user_sessions.delete")
