"""Celery tasks: thin wrappers around services, ids as arguments."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from .models import Round
from .services import applicants_notify


@shared_task(
    name="sempre.accelerator.notify_applicants",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def notify_applicants(self, round_id: int) -> int:
    round = Round.objects.filter(pk=round_id).first()
    if round is None:
        return 0
    return applicants_notify(round=round)
