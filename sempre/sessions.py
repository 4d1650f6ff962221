"""Sessions that know their user: a logged-in request reads its session and its user in one query.

Django reads the session row (one query), then the user named in it (a second). Here the session
table has a user column (`sempre.models.Session`), `SessionStore` reads the session with its user
joined, and `ModelBackend.get_user` hands Django that user instead of reading it again. Everything
Django checks about a session still runs unchanged in `django.contrib.auth.get_user`: the backend
named in the session, the password hash (a changed password ends other sessions) and `is_active`.

Settings: `SESSION_ENGINE = "sempre.sessions"`, `sempre.sessions.ModelBackend` in
`AUTHENTICATION_BACKENDS` and `sempre.sessions.AuthenticationMiddleware` in `MIDDLEWARE`.
"""

from __future__ import annotations

import contextvars
import functools

from django.contrib import auth
from django.contrib.auth import backends
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

# The session whose user Django is looking up right now: set by AuthenticationMiddleware around
# django.contrib.auth.get_user only, so a user read with one request's session never serves another.
_session_being_authenticated: contextvars.ContextVar[SessionStore | None] = contextvars.ContextVar(
    "session_being_authenticated", default=None
)


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, stored in `sempre.models.Session` with the user's id beside them."""

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._user_read_with_session = None

    @classmethod
    def get_model_class(cls):
        from sempre.models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _user_pk(data.get(auth.SESSION_KEY))
        return session

    async def acreate_model_instance(self, data):
        session = await super().acreate_model_instance(data)
        session.user_id = _user_pk(data.get(auth.SESSION_KEY))
        return session

    def _get_session_from_db(self):
        # As DatabaseSessionStore's (an expired session is not found), with the user's row read in
        # the same query. Raw SQL through the user model's raw(), which converts the columns as the
        # ORM does: building this statement through the ORM cost as much as the query it saved.
        self._user_read_with_session = None
        connection = connections[router.db_for_read(self.model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = list(
            auth.get_user_model()
            ._default_manager.db_manager(connection.alias)
            .raw(_session_with_user_sql(connection.alias), [self.session_key, now])
        )
        if not found:
            self._session_key = None
            return None
        user = found[0]  # a user whose fields are all None when no one is logged in to the session
        self._user_read_with_session = user if user.pk is not None else None
        return self.model(session_key=self.session_key, session_data=user.session_data_, user_id=user.pk)

    def user_read_with_session(self, user_id):
        """The user read with this session if it is the one with `user_id`, else None."""
        user = self._user_read_with_session
        if user is not None and user.pk == _user_pk(user_id):
            return user
        return None


@functools.cache
def _session_with_user_sql(alias: str) -> str:
    """SELECT the user's columns and the session's data, for one unexpired session key."""
    from sempre.models import Session

    quote = connections[alias].ops.quote_name
    user = auth.get_user_model()._meta
    session = Session._meta
    return (
        f"SELECT u.*, s.{quote('session_data')} AS session_data_ "  # noqa: S608 - names from _meta
        f"FROM {quote(session.db_table)} s LEFT JOIN {quote(user.db_table)} u "
        f"ON u.{quote(user.pk.column)} = s.{quote(session.get_field('user').column)} "
        f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
    )


def _user_pk(value):
    """A user id as stored in session data (a string), as the user model's primary key; else None."""
    if value is None:
        return None
    try:
        return auth.get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, which takes the user read with the session when it has one."""

    def get_user(self, user_id):
        session = _session_being_authenticated.get()
        user = session.user_read_with_session(user_id) if session is not None else None
        if user is None:
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None


def get_user(request):
    """django.contrib.auth.middleware.get_user, with the request's session made known to ModelBackend."""
    if not hasattr(request, "_cached_user"):
        token = _session_being_authenticated.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _session_being_authenticated.reset(token)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
