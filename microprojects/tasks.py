"""Celery tasks: thin wrappers around services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name=services.FIGURES_REFRESH_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def refresh_figures(self, scope: str, force: bool = False) -> str:
    """Recompute the precomputed figures of `scope` if they changed (services.figures_refresh)."""
    snapshot = services.figures_refresh(scope=scope, force=force)
    return snapshot.computed_at.isoformat()
