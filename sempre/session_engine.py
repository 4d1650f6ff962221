"""Django's `cached_db` sessions, kept working while the cache (Redis) is down.

Django's cached_db engine already falls back to the database when reading from or saving to the
cache fails, but not when it puts a session read from the database into the cache, asks whether a
session key is taken (every login makes a new key) or deletes a session from the cache (logging
out, ending a session): those raise, and a Redis outage turned every page and every login and
logout into a server error. Here those fall back to the database as well and log the cache's error;
everything else is Django's engine as it comes.

A session deleted while the cache is down stays in the cache until it expires there: the database
no longer has it, but cached_db reads the cache first. docs/security.md says what to do after an
outage (flush the session keys from Redis).
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            return super().load()
        except Exception:
            logger.exception("Session cache unavailable (%s); reading the database", self._cache)
            return DatabaseSessionStore.load(self)

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception:
            logger.exception("Session cache unavailable (%s); asking the database", self._cache)
            return DatabaseSessionStore.exists(self, session_key)

    def delete(self, session_key=None):
        key = session_key or self.session_key
        try:
            super().delete(session_key)
        except Exception:
            # The database row is gone already (Django deletes it first); the cached copy is not.
            logger.exception("Session %s deleted from the database but not from the cache", key)
