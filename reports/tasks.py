"""Celery tasks for reports: thin wrappers around services, ids as arguments."""

import os

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    name=services.RENDER_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def render_report(self, job_id: int) -> str:
    worker = f"{self.request.hostname or 'eager'} pid {os.getpid()}"
    return services.report_run(job_id=job_id, worker=worker, heartbeat=not self.request.is_eager)


@shared_task(
    name="sempre.reports.sweep",
    bind=True,
    acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def sweep_reports(self) -> dict:
    return services.report_sweep()


@shared_task(
    name="sempre.reports.expire",
    bind=True,
    acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def expire_reports(self) -> int:
    return services.report_expire()


@shared_task(
    name="sempre.reports.monthly_digest",
    bind=True,
    acks_late=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def monthly_digest(self) -> list[int]:
    return [job.pk for job in services.report_digest_send()]
