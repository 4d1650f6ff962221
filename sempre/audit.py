"""The audit log of sensitive actions.

Services call `record(actor=..., action=..., target=..., data=...)` explicitly, inside their
transaction, so an action that is rolled back leaves no audit line either. Logins and failed logins
come from Django's auth signals (connected in `sempre.apps`), as no service of ours performs them.

Actions are dotted names, grouped by the part before the dot (the filter on /audit/).
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

logger = logging.getLogger(__name__)

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOGOUT = "auth.logout"
TOKEN_ISSUED = "auth.token_issued"
TOKEN_REVOKED = "auth.token_revoked"
ROLE_CHANGED = "role.changed"
DECISION = "accelerator.decision"
DECISION_CLOSED = "accelerator.decision_closed"
ON_BEHALF = "cocreation.on_behalf"
REPORT_DOWNLOAD = "report.download"
PRIVACY_EXPORT = "privacy.export"
PRIVACY_ERASURE = "privacy.erasure"

ACTIONS = {
    LOGIN: _("Logged in"),
    LOGIN_FAILED: _("Failed login"),
    LOGOUT: _("Logged out"),
    TOKEN_ISSUED: _("API token issued"),
    TOKEN_REVOKED: _("API token revoked"),
    ROLE_CHANGED: _("Role given or changed"),
    DECISION: _("Accelerator decision recorded"),
    DECISION_CLOSED: _("Accelerator selection closed"),
    ON_BEHALF: _("Contribution added on behalf of a client"),
    REPORT_DOWNLOAD: _("Report downloaded"),
    PRIVACY_EXPORT: _("Personal data exported"),
    PRIVACY_ERASURE: _("Personal data erased"),
}

GROUPS = {
    "auth": _("Logins and tokens"),
    "role": _("Roles"),
    "accelerator": _("Accelerator decisions"),
    "cocreation": _("Co-creation"),
    "report": _("Reports"),
    "privacy": _("Personal data"),
}

MAX_LABEL = 200


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind SEMPRE_PROXY_COUNT reverse proxies the entry
    of X-Forwarded-For that the outermost trusted proxy added (entries left of it are whatever
    the client sent, so they are never trusted). Also django-axes' AXES_CLIENT_IP_CALLABLE."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "SEMPRE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote


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
