"""Cross-cutting Celery tasks.

`sempre.clear_expired_sessions` deletes sessions past their expiry date, nightly (Django never
deletes them by itself; `manage.py clearsessions` does the same by hand).

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
    """Delete the sessions whose expiry date has passed; returns how many there were."""
    from sempre.models import Session

    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
