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
        # the same statement. The statement is written once per database from the models' _meta
        # (_SessionWithUser): building it through the ORM on every request cost as much as the
        # query it saves.
        self._user_read_with_session = None
        query = _SessionWithUser.for_database(router.db_for_read(self.model))
        row = query.fetch(self.session_key)
        if row is None:
            self._session_key = None
            return None
        session_data, user = row
        self._user_read_with_session = user
        return self.model(
            session_key=self.session_key,
            session_data=session_data,
            user_id=user.pk if user is not None else None,
        )

    def user_read_with_session(self, user_id):
        """The user read with this session if it is the one with `user_id`, else None."""
        user = self._user_read_with_session
        if user is not None and user.pk == _user_pk(user_id):
            return user
        return None


class _SessionWithUser:
    """One unexpired session's data and its user (None when no one is logged in to it), in one
    statement; the user's columns are converted as the ORM converts them (on SQLite: text to dates)."""

    @classmethod
    @functools.cache
    def for_database(cls, alias: str) -> _SessionWithUser:
        return cls(connections[alias])

    def __init__(self, connection):
        from sempre.models import Session

        self.alias = connection.alias  # connections are per thread: look the alias up for each query
        self.user_model = auth.get_user_model()
        user, session = self.user_model._meta, Session._meta
        self.fields = user.concrete_fields
        quote = connection.ops.quote_name
        columns = ", ".join(f"u.{quote(field.column)}" for field in self.fields)
        self.sql = (
            f"SELECT s.{quote('session_data')}, {columns} "  # noqa: S608 - names from _meta
            f"FROM {quote(session.db_table)} s LEFT JOIN {quote(user.db_table)} u "
            f"ON u.{quote(user.pk.column)} = s.{quote(session.get_field('user').column)} "
            f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
        )
        self.converters = []
        for position, field in enumerate(self.fields):
            column = field.get_col(user.db_table)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if converters:
                self.converters.append((position, converters, column))
        self.names = [field.attname for field in self.fields]
        self.pk_position = self.fields.index(user.pk)

    def fetch(self, session_key):
        connection = connections[self.alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [session_key, now])
            row = cursor.fetchone()
        if row is None:
            return None
        session_data, *values = row
        if values[self.pk_position] is None:
            return session_data, None
        for position, converters, column in self.converters:
            for convert in converters:
                values[position] = convert(values[position], column, connection)
        return session_data, self.user_model.from_db(self.alias, self.names, values)


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
