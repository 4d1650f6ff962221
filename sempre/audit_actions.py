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
APPLICATION_CHANGED = "accelerator.application_changed"
APPLICATION_WITHDRAWN = "accelerator.application_withdrawn"
ON_BEHALF = "cocreation.on_behalf"
INVITE_LINK_REPLACED = "cocreation.invite_link_replaced"
CONTRIBUTION_RECONSIDERED = "cocreation.contribution_reconsidered"
STORY_ON_BEHALF = "stories.on_behalf"
STORY_RECORDING_PLAYED = "stories.recording_played"
PROJECT_REOPENED = "project.reopened"
DATA_IMPORTED = "project.imported"
CASE_SUBMITTED = "exchange.case_submitted"
CASE_PUBLISHED = "exchange.case_published"
CASE_RETURNED = "exchange.case_returned"
CASE_UNPUBLISHED = "exchange.case_unpublished"
CASE_ADAPTED = "exchange.case_adapted"
REPORT_DOWNLOAD = "report.download"
EVIDENCE_DOWNLOAD = "report.evidence_download"
PRIVACY_EXPORT = "privacy.export"
PRIVACY_ERASURE = "privacy.erasure"
CALENDAR_LINK_NEW = "calendar.link_new"
CALENDAR_LINK_OFF = "calendar.link_off"

ACTIONS = {
    LOGIN: _("Logged in"),
    LOGIN_FAILED: _("Failed login"),
    LOGOUT: _("Logged out"),
    TOKEN_ISSUED: _("API token issued"),
    TOKEN_REVOKED: _("API token revoked"),
    ROLE_CHANGED: _("Role given or changed"),
    DECISION: _("Accelerator decision recorded"),
    DECISION_CLOSED: _("Accelerator selection closed"),
    APPLICATION_CHANGED: _("Accelerator application changed by the applicant"),
    APPLICATION_WITHDRAWN: _("Accelerator application withdrawn"),
    ON_BEHALF: _("Contribution added on behalf of a client"),
    INVITE_LINK_REPLACED: _("Invite link replaced"),
    CONTRIBUTION_RECONSIDERED: _("Contribution not used reconsidered"),
    STORY_ON_BEHALF: _("Story of change recorded on behalf of a client"),
    STORY_RECORDING_PLAYED: _("Voice recording of a story played"),
    PROJECT_REOPENED: _("Completed or discontinued project made active again"),
    DATA_IMPORTED: _("Projects, activities or figures imported from a file"),
    CASE_SUBMITTED: _("Practice case submitted for publishing"),
    CASE_PUBLISHED: _("Practice case published"),
    CASE_RETURNED: _("Practice case returned to its team"),
    CASE_UNPUBLISHED: _("Practice case unpublished"),
    CASE_ADAPTED: _("Practice case adapted into another project"),
    REPORT_DOWNLOAD: _("Report downloaded"),
    EVIDENCE_DOWNLOAD: _("Evidence file of a progress report downloaded"),
    PRIVACY_EXPORT: _("Personal data exported"),
    PRIVACY_ERASURE: _("Personal data erased"),
    CALENDAR_LINK_NEW: _("Calendar link made (an earlier link stops working)"),
    CALENDAR_LINK_OFF: _("Calendar link turned off"),
}

GROUPS = {
    "auth": _("Logins and tokens"),
    "role": _("Roles"),
    "accelerator": _("Accelerator applications and decisions"),
    "cocreation": _("Co-creation"),
    "stories": _("Stories of change"),
    "exchange": _("Practice cases"),
    "project": _("Projects"),
    "report": _("Reports"),
    "privacy": _("Personal data"),
    "calendar": _("Calendar links"),
}
