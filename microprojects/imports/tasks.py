"""Celery tasks of imports: ids in, the service does the work (and is safe to run twice)."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name=services.CHECK_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def import_check(self, job_id: int) -> str:
    """The dry run of an uploaded file (services.import_check)."""
    job = services.import_check(job_id=job_id)
    return job.status if job else "gone"


@shared_task(
    name=services.RUN_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def import_run(self, job_id: int) -> str:
    """The confirmed import (services.import_run)."""
    job = services.import_run(job_id=job_id)
    return job.status if job else "gone"
