"""Celery tasks (thin: they call services)."""

from celery import shared_task
from django.db import OperationalError

from .services import contributions_purge


@shared_task(
    name="sempre.cocreation.purge_contributions",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def purge_contributions(self) -> int:
    """Delete rejected and withdrawn contributions past COCREATION_RETENTION_DAYS (runs daily)."""
    return contributions_purge()
