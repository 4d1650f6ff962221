"""Celery tasks (thin: they call services)."""

from celery import shared_task
from django.db import OperationalError

from .services import stories_purge

PURGE = "sempre.stories.purge"


@shared_task(
    name=PURGE,
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def purge(self) -> dict:
    """Delete recordings past STORIES_AUDIO_RETENTION_DAYS and withdrawn stories past
    STORIES_WITHDRAWN_RETENTION_DAYS (daily, by Celery beat)."""
    return stories_purge()
