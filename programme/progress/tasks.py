"""Celery tasks of progress reports: thin wrappers around services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name=services.CREATE_REPORTS_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def progress_reports_create(self) -> int:
    """The draft reports of projects that became active after a period was set (Celery beat,
    hourly). Idempotent: a project that has its report is skipped."""
    return services.reports_create_all()
