"""The audit log of sensitive actions.

Services call `record(actor=..., action=..., target=..., data=...)` explicitly, inside their
transaction, so an action that is rolled back leaves no audit line either. Logins and failed logins
come from Django's auth signals (connected in `sempre.apps`), as no service of ours performs them.

Actions are dotted names, grouped by the part before the dot (the filter on /audit/).
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models, transaction

from .audit_actions import (  # noqa: F401 (services name the actions as audit.LOGIN etc.)
    ACTIONS,
    CALENDAR_LINK_NEW,
    CALENDAR_LINK_OFF,
    CONTRIBUTION_RECONSIDERED,
    DECISION,
    DECISION_CLOSED,
    GROUPS,
    INVITE_LINK_REPLACED,
    LOGIN,
    LOGIN_FAILED,
    LOGOUT,
    ON_BEHALF,
    PRIVACY_ERASURE,
    PRIVACY_EXPORT,
    REPORT_DOWNLOAD,
    ROLE_CHANGED,
    STORY_ON_BEHALF,
    STORY_RECORDING_PLAYED,
    TOKEN_ISSUED,
    TOKEN_REVOKED,
)
from .http import client_ip
from .models import AuditEvent

logger = logging.getLogger(__name__)

MAX_LABEL = 200


def record(*, actor, action: str, target=None, data: dict | None = None, request=None) -> AuditEvent:
    """Write one audit line. `actor` may be None (an anonymous login attempt, a command);
    `target` is any model instance (or None); `data` is a small JSON-able dict of facts that
    explain the action (never a password or a client's text)."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    target_type = target_id = target_label = ""
    if isinstance(target, models.Model):
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_label = str(target)[:MAX_LABEL]
    elif target is not None:
        target_label = str(target)[:MAX_LABEL]
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else (data or {}).get("username", ""))[:150],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        data=data or {},
        ip_address=client_ip(request),
    )


def _on_login(sender, request, user, **kwargs):
    record(actor=user, action=LOGIN, request=request)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action=LOGOUT, request=request)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in `credentials`; only the user name is kept.
    username = str(credentials.get("username", ""))[:150]
    try:
        with transaction.atomic():
            record(actor=None, action=LOGIN_FAILED, data={"username": username}, request=request)
    except Exception:  # an audit failure must not turn a wrong password into a 500
        logger.exception("Could not record a failed login")


def connect_signals():
    user_logged_in.connect(_on_login, dispatch_uid="sempre.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="sempre.audit.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="sempre.audit.login_failed")
