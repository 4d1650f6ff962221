"""Notifications and the calendar feed (issue #21 §3): one's own notifications, choices and
calendar link, for every logged-in person; the feed for whoever holds its token."""

from sempre.calendar import token_hash
from sempre.models import CalendarFeed, Delivery, Notification

from .urls_for import _r

WEB_LOGGED_IN = "login login ok ok ok ok ok ok"
WEB_NO_SUCH_METHOD = "login login 405 405 405 405 405 405"
PUBLIC = "ok ok ok ok ok ok ok ok"

EXPECTED = {
    "notifications": (WEB_LOGGED_IN, WEB_NO_SUCH_METHOD),
    # marks one's own notifications read: another person's ids are not one's own, nothing changes
    "notifications-read": (WEB_NO_SUCH_METHOD, WEB_LOGGED_IN),
    # the social worker's own notification; anybody else's is invisible
    "notification-open": ("login login ok 404 404 404 404 404", WEB_NO_SUCH_METHOD),
    "notification-choices": (WEB_LOGGED_IN, WEB_LOGGED_IN),
    # POST without a button: refused as invalid (400) for everybody logged in
    "calendar-link": (WEB_LOGGED_IN, "login login bad bad bad bad bad bad"),
    # the social worker's feed: the token is the permission (a wrong one answers 404)
    "calendar-feed": (PUBLIC, "405 405 405 405 405 405 405 405"),
}

URLS = {
    "notifications": _r("notifications"),
    "notifications-read": _r("notifications-read"),
    "notification-open": _r("notification-open", pk=lambda w: w.notification.pk),
    "notification-choices": _r("notification-choices"),
    "calendar-link": _r("calendar-link"),
    "calendar-feed": _r("calendar-feed", token=lambda w: w.calendar_token),
}


def extend_world(world) -> None:
    # Written directly, not through calendar_link_new: the world's audit log stays as other tests expect.
    world.calendar_token = "matrix-calendar-token-of-the-social-worker"
    CalendarFeed.objects.create(user=world.users["sw"], token_hash=token_hash(world.calendar_token))
    world.notification = Notification.objects.create(
        recipient=world.users["sw"],
        kind="microprojects.indicator_off_track",
        target_type="microprojects.microproject",
        target_id=str(world.project.pk),
        occasion="matrix",
        title="An indicator is off track",
        url=f"/projects/{world.project.pk}/",
        delivery=Delivery.WEEKLY,
    )
