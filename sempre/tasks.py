"""Cross-cutting Celery tasks.

`sempre.clear_expired_sessions` deletes sessions past their expiry date, nightly, with the session
engine's own clear_expired() (Django never deletes them by itself; `manage.py clearsessions` does
the same by hand), and the records of one's sessions whose session is gone.

`sempre.ping` answers "pong" and, given a marker, leaves a note in the cache (Redis when REDIS_URL
is set) saying which worker ran it. Operators use it to check that a worker is consuming
(`celery -A config call sempre.ping`); the worker test uses the marker to observe a real
round trip through the broker without needing a result backend.
"""

from celery import shared_task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .user_sessions import user_sessions_clear_expired

PING_MARKER_TIMEOUT = 300  # seconds; long enough for a slow test, short enough not to pile up


def ping_marker_key(marker: str) -> str:
    return f"sempre:ping:{marker}"


# Only a cache that is briefly unreachable is worth retrying.
TRANSIENT_ERRORS = (ConnectionError, TimeoutError, RedisConnectionError, RedisTimeoutError)


@shared_task(
    name="sempre.ping",
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def ping(self, marker: str | None = None) -> str:
    if marker:
        cache.set(
            ping_marker_key(marker),
            {"hostname": self.request.hostname or "eager", "at": timezone.now().isoformat()},
            timeout=PING_MARKER_TIMEOUT,
        )
    return "pong"


@shared_task(
    name="sempre.clear_expired_sessions",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),  # the database briefly unreachable
    retry_backoff=True,
    max_retries=3,
)
def clear_expired_sessions() -> int:
    """Delete expired sessions; returns how many records of one's sessions went with them."""
    return user_sessions_clear_expired()
