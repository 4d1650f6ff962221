"""The consent notice clients read before they send anything.

The words are in templates/cocreation/public/_consent.html. Change CONSENT_NOTICE_VERSION whenever
you change them: each contribution stores the version its author agreed to, and when.
"""

from django.conf import settings

CONSENT_NOTICE_VERSION = "2026-11-v1"
ON_BEHALF_CONSENT_VERSION = "2026-11-v1-oral"


def retention_days() -> int:
    """Rejected and withdrawn contributions are deleted after this many days."""
    return int(getattr(settings, "COCREATION_RETENTION_DAYS", 30))
