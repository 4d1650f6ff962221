"""Demo reminders and a calendar link: the reminders the demo data calls for now (reports due,
reviews, contributions waiting, indicators off track, start-ups without figures, cases), made by the
same service as the hourly task, not e-mailed; and Anna's private calendar link at a fixed demo
address, unless she has made one of her own.

Idempotent: each reminder is made once (the sent-log), and an existing calendar link is left alone.
"""

from sempre.calendar import token_hash
from sempre.models import CalendarFeed, User
from sempre.notifications.services import notifications_collect

# Demo only: the token of a real link is random and shown once (sempre.calendar.calendar_link_new).
DEMO_CALENDAR_TOKEN = "demo-anna-calendar-feed-0001"


def seed(*, stdout) -> None:
    made = notifications_collect()
    anna = User.objects.filter(username="anna").first()
    if anna is not None:
        CalendarFeed.objects.get_or_create(
            user=anna, defaults={"token_hash": token_hash(DEMO_CALENDAR_TOKEN)}
        )
    stdout.write(
        f"Notifications: {made} reminders made; Anna's calendar: /calendar/{DEMO_CALENDAR_TOKEN}.ics"
    )
