"""Celery tasks of the exchange: thin wrappers around services, ids as arguments."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from .models import CaseMessage
from .services.cases import NOTIFY_MESSAGE_TASK, message_notify


@shared_task(
    name=NOTIFY_MESSAGE_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def notify_message(self, message_id: int) -> int:
    """E-mail the other side of a case's conversation about a new message (once)."""
    message = CaseMessage.objects.filter(pk=message_id).first()
    if message is None:
        return 0
    return message_notify(message=message)
