"""The actions of the audit log: dotted names, grouped by the part before the dot (the filter on
/audit/), with their labels. Apart from sempre.audit so that the AuditEvent model can name them."""

from django.utils.translation import gettext_lazy as _

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOGOUT = "auth.logout"
TOKEN_ISSUED = "auth.token_issued"
TOKEN_REVOKED = "auth.token_revoked"
ROLE_CHANGED = "role.changed"
DECISION = "accelerator.decision"
DECISION_CLOSED = "accelerator.decision_closed"
ON_BEHALF = "cocreation.on_behalf"
PROJECT_REOPENED = "project.reopened"
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
    PROJECT_REOPENED: _("Completed or discontinued project made active again"),
    REPORT_DOWNLOAD: _("Report downloaded"),
    PRIVACY_EXPORT: _("Personal data exported"),
    PRIVACY_ERASURE: _("Personal data erased"),
}

GROUPS = {
    "auth": _("Logins and tokens"),
    "role": _("Roles"),
    "accelerator": _("Accelerator decisions"),
    "cocreation": _("Co-creation"),
    "project": _("Projects"),
    "report": _("Reports"),
    "privacy": _("Personal data"),
}
