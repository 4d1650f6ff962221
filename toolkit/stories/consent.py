"""The consent notice a client reads before telling a story (templates/stories/public/_consent.html).

Change STORY_CONSENT_VERSION whenever its words change: each story stores the version its teller
agreed to, and when. A recording made with a social worker keeps the oral version.
"""

from django.conf import settings

STORY_CONSENT_VERSION = "2026-12-v1"
ON_BEHALF_CONSENT_VERSION = "2026-12-v1-oral"


def audio_retention_days() -> int:
    """A recording not transcribed by then is deleted all the same."""
    return int(getattr(settings, "STORIES_AUDIO_RETENTION_DAYS", 30))


def withdrawn_retention_days() -> int:
    """A withdrawn story is deleted after this many days (as withdrawn co-creation contributions)."""
    return int(getattr(settings, "STORIES_WITHDRAWN_RETENTION_DAYS", 30))
