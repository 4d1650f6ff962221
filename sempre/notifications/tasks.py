"""Celery beat runs these (config/settings.py CELERY_BEAT_SCHEDULE). Each is safe to run twice or
at once on two workers: what was made or e-mailed is not made or e-mailed again
(sempre.notifications.services)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from sempre.models import Delivery

from . import services

# Only a database that is briefly unreachable is worth retrying; an unreachable mail server is
# handled by the services (the rows stay for the next run).
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
RETRY = {"acks_late": True, "autoretry_for": TRANSIENT_ERRORS, "retry_backoff": True, "max_retries": 3}


@shared_task(name="sempre.notifications.collect", **RETRY)
def collect() -> dict:
    """Make what is due now, then e-mail those wanted at once."""
    made = services.notifications_collect()
    return {"made": made, "emailed": services.notifications_email_immediate()}


@shared_task(name="sempre.notifications.daily_digest", **RETRY)
def daily_digest() -> int:
    return services.notifications_email_digests(delivery=Delivery.DAILY)


@shared_task(name="sempre.notifications.weekly_digest", **RETRY)
def weekly_digest() -> int:
    return services.notifications_email_digests(delivery=Delivery.WEEKLY)
